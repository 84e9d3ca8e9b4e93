-- When the outcome of an order's first allocation (every line's filled_at_first_allocation) was
-- announced as fulfillment.order.allocated: set once, by the transaction that publishes it, so an
-- order is announced once whatever replies are redelivered or race.
ALTER TABLE customer_order ADD COLUMN first_allocation_announced_at TIMESTAMPTZ;

-- Orders decided before this column existed are not announced afterwards: a later first-round
-- reply must not announce them with a time and location that are not their first allocation's.
UPDATE customer_order o SET first_allocation_announced_at = o.updated_at
 WHERE NOT EXISTS (SELECT 1 FROM order_line l
                    WHERE l.order_id = o.id AND l.filled_at_first_allocation IS NULL);
