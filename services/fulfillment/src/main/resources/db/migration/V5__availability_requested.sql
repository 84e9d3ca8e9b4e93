-- Units asked of stock and not yet answered, kept on the row allocations lock anyway: the free count
-- (available - requested) no longer sums the pending allocations of the location on every order,
-- a scan that grew with every allocation made there and held the SKU's row meanwhile.
ALTER TABLE availability ADD COLUMN requested BIGINT NOT NULL DEFAULT 0;

UPDATE availability a SET requested = p.units
FROM (SELECT l.sku, x.location, sum(l.quantity) AS units
      FROM allocation_line l JOIN allocation x ON x.id = l.allocation_id
      WHERE x.status = 'REQUESTED'
      GROUP BY l.sku, x.location) p
WHERE a.sku = p.sku AND a.location = p.location;
