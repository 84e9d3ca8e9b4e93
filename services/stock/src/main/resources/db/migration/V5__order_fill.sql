-- The fill rate's datum (fillrate/): each order line's first-allocation outcome as fulfillment
-- announced it in fulfillment.order.allocated. One row per (order, SKU), so an order announced
-- again, under the same or a new message id, counts once. No references to item or location:
-- this is fulfillment's history, kept as announced.
CREATE TABLE order_line_fill (
    order_id     UUID        NOT NULL,
    sku          TEXT        NOT NULL,
    -- where the first allocation asked for the line; null when it was backordered whole
    location     TEXT,
    quantity     BIGINT      NOT NULL CHECK (quantity > 0),
    -- whether the first allocation reserved the whole line
    filled       BOOLEAN     NOT NULL,
    allocated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (order_id, sku),
    CHECK (location IS NOT NULL OR NOT filled)
);
CREATE INDEX order_line_fill_by_sku ON order_line_fill (sku, allocated_at);
