-- Balances must equal the sum of their ledger: for every (SKU, location) and every state, the
-- balance column = sum(delta) of its ledger entries, and the entries' sequences run 1..n without a
-- gap, n being balance.sequence. One row per SKU group (the SKU prefix before the first '-').
WITH l AS (
    SELECT sku, location,
           coalesce(sum(delta) FILTER (WHERE state = 'available'), 0)      AS available,
           coalesce(sum(delta) FILTER (WHERE state = 'committed'), 0)      AS committed,
           coalesce(sum(delta) FILTER (WHERE state = 'reserved'), 0)       AS reserved,
           coalesce(sum(delta) FILTER (WHERE state = 'safetyStock'), 0)    AS safety_stock,
           coalesce(sum(delta) FILTER (WHERE state = 'qualityControl'), 0) AS quality_control,
           coalesce(sum(delta) FILTER (WHERE state = 'damaged'), 0)        AS damaged,
           coalesce(sum(delta) FILTER (WHERE state = 'incoming'), 0)       AS incoming,
           count(*) AS entries, min(sequence) AS first_seq, max(sequence) AS last_seq
    FROM ledger GROUP BY sku, location
)
SELECT split_part(b.sku, '-', 1) AS sku_group,
       count(*) AS balances,
       coalesce(sum(l.entries), 0) AS ledger_entries,
       count(*) FILTER (WHERE b.available <> coalesce(l.available, 0)
                           OR b.committed <> coalesce(l.committed, 0)
                           OR b.reserved <> coalesce(l.reserved, 0)
                           OR b.safety_stock <> coalesce(l.safety_stock, 0)
                           OR b.quality_control <> coalesce(l.quality_control, 0)
                           OR b.damaged <> coalesce(l.damaged, 0)
                           OR b.incoming <> coalesce(l.incoming, 0)) AS sum_mismatches,
       count(*) FILTER (WHERE b.sequence <> coalesce(l.entries, 0)
                           OR coalesce(l.last_seq, 0) <> b.sequence
                           OR coalesce(l.first_seq, 1) <> 1) AS sequence_gaps
FROM balance b LEFT JOIN l USING (sku, location)
GROUP BY 1 ORDER BY 1;
