-- P4 baseline: the SQL transaction the stock service runs for POST /inventory/adjustments with one
-- line (delta +1 available, reason correction) and an Idempotency-Key, statement for statement:
--   IdempotencyKeys.FIND_ALL (the key looked up), Ledger.LOCK, Ledger.INSERT_ENTRIES,
--   Ledger.UPDATE_BALANCES, IdempotencyKeys.STORE_ALL (the key stored with its response),
--   Outbox.INSERT, in that order, in one transaction.
-- The sequence and balance_after come from the row locked by FOR UPDATE (\gset), as in Ledger.
-- Runs on SKUs PGB-1..PGB-1000 (created through the API) so the service's SKUs stay untouched, and
-- writes its outbox rows to bench_outbox (LIKE outbox INCLUDING ALL) so the relay never publishes
-- them. Sizes of the stored response, headers and payload come from the service's own rows
-- (-D response_len=... -D headers_len=... -D payload_len=...).
\set n random(1, 1000)
\set r random(1, 9000000000000000000)
BEGIN;
SELECT key, request_hash, status_code, response_body, location FROM idempotency_key WHERE key = ANY(ARRAY['pgb-' || :client_id || '-' || :r]::text[]);
SELECT sku, location, available, committed, reserved, safety_stock, quality_control, damaged, incoming, sequence FROM balance WHERE (sku, location) IN (SELECT * FROM unnest(ARRAY['PGB-' || :n]::text[], ARRAY['BENCH']::text[])) ORDER BY sku, location FOR UPDATE
\gset
\set seq :sequence + 1
\set after :available + 1
INSERT INTO ledger (movement_id, sku, location, sequence, state, delta, balance_after, reason, reference, actor, idempotency_key, occurred_at) SELECT * FROM unnest(ARRAY[gen_random_uuid()]::uuid[], ARRAY['PGB-' || :n]::text[], ARRAY['BENCH']::text[], ARRAY[:seq::int8]::int8[], ARRAY['available']::text[], ARRAY[1::int8]::int8[], ARRAY[:after::int8]::int8[], ARRAY['correction']::text[], ARRAY['pgb-' || :client_id || '-' || :r]::text[], ARRAY['api']::text[], ARRAY['pgb-' || :client_id || '-' || :r]::text[], ARRAY[now()]::timestamptz[]);
UPDATE balance b SET available = v.available, committed = v.committed, reserved = v.reserved, safety_stock = v.safety_stock, quality_control = v.quality_control, damaged = v.damaged, incoming = v.incoming, sequence = v.sequence, updated_at = now() FROM unnest(ARRAY['PGB-' || :n]::text[], ARRAY['BENCH']::text[], ARRAY[:after::int8]::int8[], ARRAY[:committed::int8]::int8[], ARRAY[:reserved::int8]::int8[], ARRAY[:safety_stock::int8]::int8[], ARRAY[:quality_control::int8]::int8[], ARRAY[:damaged::int8]::int8[], ARRAY[:incoming::int8]::int8[], ARRAY[:seq::int8]::int8[]) AS v(sku, location, available, committed, reserved, safety_stock, quality_control, damaged, incoming, sequence) WHERE b.sku = v.sku AND b.location = v.location;
INSERT INTO idempotency_key (key, request_hash, status_code, response_body, location) SELECT * FROM unnest(ARRAY['pgb-' || :client_id || '-' || :r]::text[], ARRAY[md5(:r || 'a') || md5(:r || 'b')]::text[], ARRAY[201]::int4[], ARRAY[repeat('r', :response_len)]::text[], ARRAY[NULL]::text[]) AS k(key, request_hash, status, body, location) ORDER BY key;
INSERT INTO bench_outbox (message_id, type, routing_key, aggregate, headers, payload) SELECT * FROM unnest(ARRAY[gen_random_uuid()]::uuid[], ARRAY['stock.inventory.changed']::text[], ARRAY['stock.inventory.changed']::text[], ARRAY['PGB-' || :n || '@BENCH']::text[], ARRAY[repeat('h', :headers_len)]::text[], ARRAY[repeat('p', :payload_len)]::text[]);
COMMIT;
