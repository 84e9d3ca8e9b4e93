-- The fulfillment service's own tables: orders, how their lines are allocated to locations, and
-- what was shipped. Quantities are checked here as well as in the code.

-- Available units per (SKU, location) as stock last announced them (stock.inventory.changed),
-- newest sequence wins. Allocation locks these rows, so allocations of one SKU queue up.
CREATE TABLE availability (
    sku       TEXT   NOT NULL,
    location  TEXT   NOT NULL,
    available BIGINT NOT NULL CHECK (available >= 0),
    sequence  BIGINT NOT NULL,
    PRIMARY KEY (sku, location)
);

CREATE TABLE customer_order (
    id               UUID PRIMARY KEY,
    channel          TEXT        NOT NULL,
    channel_order_id TEXT        NOT NULL,
    status           TEXT        NOT NULL,
    ship_to          TEXT,
    -- a channel's cancellation that must wait for stock's answers before it can be applied
    cancel_requested TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (channel, channel_order_id)
);
CREATE INDEX customer_order_open ON customer_order (status, created_at);

-- A line's units are, at every moment: pending (asked of stock), allocated (reserved, not yet
-- shipped), shipped, cancelled, or backordered (the rest).
CREATE TABLE order_line (
    order_id     UUID   NOT NULL REFERENCES customer_order (id),
    line_number  INT    NOT NULL,
    sku          TEXT   NOT NULL,
    quantity     BIGINT NOT NULL CHECK (quantity > 0),
    pending      BIGINT NOT NULL DEFAULT 0 CHECK (pending >= 0),
    allocated    BIGINT NOT NULL DEFAULT 0 CHECK (allocated >= 0),
    shipped      BIGINT NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    cancelled    BIGINT NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
    -- fill rate: whether the first allocation reserved the whole line (null until it is known)
    filled_at_first_allocation BOOLEAN,
    PRIMARY KEY (order_id, line_number),
    UNIQUE (order_id, sku),
    CHECK (pending + allocated + shipped + cancelled <= quantity)
);
CREATE INDEX order_line_by_sku ON order_line (sku);

-- One reservation asked of stock for an order at one location; its id is the correlation id.
CREATE TABLE allocation (
    id             UUID PRIMARY KEY,
    order_id       UUID        NOT NULL REFERENCES customer_order (id),
    location       TEXT        NOT NULL,
    status         TEXT        NOT NULL CHECK (status IN ('REQUESTED', 'CONFIRMED', 'REJECTED', 'CLOSED')),
    reservation_id UUID,
    first_round    BOOLEAN     NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX allocation_by_order ON allocation (order_id);
-- what is asked of stock and not yet answered, counted by every allocation
CREATE INDEX allocation_requested ON allocation (location, id) WHERE status = 'REQUESTED';

CREATE TABLE allocation_line (
    allocation_id UUID   NOT NULL REFERENCES allocation (id),
    sku           TEXT   NOT NULL,
    quantity      BIGINT NOT NULL CHECK (quantity > 0),
    shipped       BIGINT NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    released      BIGINT NOT NULL DEFAULT 0 CHECK (released >= 0),
    PRIMARY KEY (allocation_id, sku),
    CHECK (shipped + released <= quantity)
);
CREATE INDEX allocation_line_by_sku ON allocation_line (sku, allocation_id);

CREATE TABLE shipment (
    id              UUID PRIMARY KEY,
    order_id        UUID        NOT NULL REFERENCES customer_order (id),
    location        TEXT        NOT NULL,
    carrier         TEXT,
    tracking_number TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE shipment_line (
    shipment_id UUID   NOT NULL REFERENCES shipment (id),
    sku         TEXT   NOT NULL,
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, sku)
);

-- Every status change of an order, with its time and cause.
CREATE TABLE order_transition (
    order_id UUID        NOT NULL REFERENCES customer_order (id),
    at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    status   TEXT        NOT NULL,
    cause    TEXT        NOT NULL
);
CREATE INDEX order_transition_by_order ON order_transition (order_id, at);

-- Which locations may fill a channel's orders, best first, from channel-sync's
-- channel-sync.channel.changed (until a channel is announced, fulfillment's configuration decides).
CREATE TABLE channel_config (
    channel     TEXT PRIMARY KEY,
    allow_split BOOLEAN     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE channel_location (
    channel  TEXT NOT NULL REFERENCES channel_config (channel),
    rank     INT  NOT NULL,
    location TEXT NOT NULL,
    PRIMARY KEY (channel, rank)
);

-- Cancellations from a channel that arrived before their order: the order is cancelled as soon as
-- it is placed.
CREATE TABLE early_cancellation (
    channel          TEXT        NOT NULL,
    channel_order_id TEXT        NOT NULL,
    reason           TEXT,
    received_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, channel_order_id)
);
