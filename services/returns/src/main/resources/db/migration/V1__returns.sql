-- The returns service's own tables: what was shipped (from fulfillment), what customers may send
-- back, what came back in which condition, and what inspection decided.

-- Units shipped per order and SKU, from fulfillment.order.shipped.
CREATE TABLE shipped_line (
    order_id         UUID   NOT NULL,
    channel          TEXT   NOT NULL,
    channel_order_id TEXT   NOT NULL,
    sku              TEXT   NOT NULL,
    quantity         BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, sku)
);
CREATE INDEX shipped_line_by_channel ON shipped_line (channel, channel_order_id);
CREATE INDEX shipped_line_by_sku ON shipped_line (sku);

-- A return: authorised (an RMA) or arrived without one (authorized = false).
CREATE TABLE customer_return (
    id               UUID PRIMARY KEY,
    authorized       BOOLEAN     NOT NULL,
    order_id         UUID,
    channel          TEXT,
    channel_order_id TEXT,
    status           TEXT        NOT NULL CHECK (status IN
                         ('AUTHORIZED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CLOSED')),
    expires_at       TIMESTAMPTZ,
    closed_reason    TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX customer_return_by_order ON customer_return (order_id);
CREATE INDEX customer_return_expiring ON customer_return (expires_at) WHERE status = 'AUTHORIZED';

CREATE TABLE return_line (
    return_id   UUID   NOT NULL REFERENCES customer_return (id),
    line_number INT    NOT NULL,
    sku         TEXT   NOT NULL,
    authorized  BIGINT NOT NULL CHECK (authorized >= 0),
    reason      TEXT,
    received    BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
    PRIMARY KEY (return_id, line_number),
    UNIQUE (return_id, sku)
);

CREATE TABLE return_receipt (
    id         UUID PRIMARY KEY,
    return_id  UUID        NOT NULL REFERENCES customer_return (id),
    location   TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE return_receipt_line (
    receipt_id UUID   NOT NULL REFERENCES return_receipt (id),
    sku        TEXT   NOT NULL,
    condition  TEXT   NOT NULL CHECK (condition IN
                   ('SELLABLE', 'NEEDS_INSPECTION', 'DAMAGED', 'DEFECTIVE', 'MISSING')),
    quantity   BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (receipt_id, sku, condition)
);

-- Units of a return waiting in quality control for inspection, per location and SKU.
CREATE TABLE awaiting_inspection (
    return_id UUID   NOT NULL REFERENCES customer_return (id),
    location  TEXT   NOT NULL,
    sku       TEXT   NOT NULL,
    quantity  BIGINT NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (return_id, location, sku)
);

CREATE TABLE inspection (
    id         UUID PRIMARY KEY,
    return_id  UUID        NOT NULL REFERENCES customer_return (id),
    location   TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE inspection_line (
    inspection_id UUID   NOT NULL REFERENCES inspection (id),
    sku           TEXT   NOT NULL,
    outcome       TEXT   NOT NULL CHECK (outcome IN
                      ('RESTOCK', 'DAMAGED', 'WRITE_OFF', 'RETURN_TO_VENDOR')),
    quantity      BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (inspection_id, sku, outcome)
);

-- Exceptions raised (each also sent as returns.exception.raised), shown on the return.
CREATE TABLE return_exception (
    id        UUID PRIMARY KEY,
    return_id UUID        NOT NULL REFERENCES customer_return (id),
    kind      TEXT        NOT NULL,
    sku       TEXT        NOT NULL,
    expected  BIGINT      NOT NULL,
    actual    BIGINT      NOT NULL,
    raised_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX return_exception_by_return ON return_exception (return_id, raised_at);
