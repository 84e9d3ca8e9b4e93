-- The channel-sync service's own tables: the channels and their rules, listings (SKU ↔ the
-- channel's id), what stock says is available, the sellable quantity per channel and SKU with its
-- versions, and every push to a channel.

-- A sales channel. Credentials are references (env:NAME or secret:<name>/<key>), resolved just
-- before use; their values are never stored.
CREATE TABLE channel (
    code               TEXT PRIMARY KEY,
    type               TEXT        NOT NULL CHECK (type IN
                           ('SHOPIFY', 'AMAZON', 'WALMART', 'GENERIC_WEBHOOK')),
    endpoint           TEXT        NOT NULL,
    credentials        JSONB       NOT NULL,
    settings           JSONB       NOT NULL,
    allow_split        BOOLEAN     NOT NULL,
    buffer_units       BIGINT      NOT NULL CHECK (buffer_units >= 0),
    allocation_percent INT         NOT NULL CHECK (allocation_percent BETWEEN 0 AND 100),
    maximum            BIGINT      CHECK (maximum >= 0),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

-- The locations whose available units make a channel's pool, best first (rank 0).
CREATE TABLE channel_location (
    channel  TEXT NOT NULL REFERENCES channel (code),
    location TEXT NOT NULL,
    rank     INT  NOT NULL,
    PRIMARY KEY (channel, location)
);
CREATE INDEX channel_location_by_location ON channel_location (location);

-- A SKU sold on a channel under the channel's own id, with optional overrides of the channel's
-- buffer and maximum, or a fixed quantity that replaces the computation.
CREATE TABLE listing (
    channel        TEXT        NOT NULL REFERENCES channel (code),
    sku            TEXT        NOT NULL,
    listing_id     TEXT        NOT NULL,
    buffer_units   BIGINT      CHECK (buffer_units >= 0),
    maximum        BIGINT      CHECK (maximum >= 0),
    fixed_quantity BIGINT      CHECK (fixed_quantity >= 0),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (channel, sku),
    UNIQUE (channel, listing_id)
);
CREATE INDEX listing_by_sku ON listing (sku);

-- The newest available balance per (SKU, location) from stock.inventory.changed; an event whose
-- sequence is not higher than the one kept is stale and dropped.
CREATE TABLE stock_level (
    sku        TEXT        NOT NULL,
    location   TEXT        NOT NULL,
    available  BIGINT      NOT NULL CHECK (available >= 0),
    sequence   BIGINT      NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (sku, location)
);

-- The sellable quantity of a listing and its push state. version grows with every change of the
-- quantity; sent_version is the newest version the channel applied, and never goes down. A row
-- is pending while version > sent_version; dead-lettered rows wait for an operator's replay.
CREATE TABLE channel_quantity (
    channel          TEXT        NOT NULL,
    sku              TEXT        NOT NULL,
    quantity         BIGINT      NOT NULL CHECK (quantity >= 0),
    version          BIGINT      NOT NULL CHECK (version >= 1),
    changed_at       TIMESTAMPTZ NOT NULL,
    sent_version     BIGINT      NOT NULL DEFAULT 0,
    sent_quantity    BIGINT,
    sent_at          TIMESTAMPTZ,
    attempts         INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    claimed_until    TIMESTAMPTZ,
    last_error       TEXT,
    last_http_status INT,
    dead_lettered_at TIMESTAMPTZ,
    PRIMARY KEY (channel, sku),
    FOREIGN KEY (channel, sku) REFERENCES listing (channel, sku),
    CHECK (sent_version <= version)
);
CREATE INDEX channel_quantity_due ON channel_quantity (next_attempt_at)
    WHERE version > sent_version AND dead_lettered_at IS NULL;
CREATE INDEX channel_quantity_dead ON channel_quantity (channel, sku)
    WHERE dead_lettered_at IS NOT NULL;

-- Every push attempt and what the channel answered.
CREATE TABLE push_record (
    id          BIGSERIAL PRIMARY KEY,
    channel     TEXT        NOT NULL,
    sku         TEXT        NOT NULL,
    version     BIGINT      NOT NULL,
    quantity    BIGINT      NOT NULL,
    attempt     INT         NOT NULL,
    outcome     TEXT        NOT NULL CHECK (outcome IN
                    ('APPLIED', 'RETRY', 'COMPARE_FAILED', 'REJECTED')),
    http_status INT         NOT NULL,
    response    TEXT,
    latency_ms  BIGINT,
    pushed_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX push_record_by_channel ON push_record (channel, pushed_at);
CREATE INDEX push_record_by_listing ON push_record (channel, sku, id);
