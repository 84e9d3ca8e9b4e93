-- Reconciliation: each run reads back a channel's quantities and compares them, SKU by SKU, with
-- what the channel last applied; drift is corrected by pushing the current quantity again.

CREATE TABLE reconciliation (
    id          UUID PRIMARY KEY,
    channel     TEXT        NOT NULL REFERENCES channel (code),
    trigger     TEXT        NOT NULL CHECK (trigger IN ('SCHEDULED', 'ON_DEMAND')),
    status      TEXT        NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED')),
    started_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    finished_at TIMESTAMPTZ,
    listings    INT         NOT NULL DEFAULT 0,
    matched     INT         NOT NULL DEFAULT 0,
    drifted     INT         NOT NULL DEFAULT 0,
    in_flight   INT         NOT NULL DEFAULT 0,
    missing     INT         NOT NULL DEFAULT 0,
    unreadable  INT         NOT NULL DEFAULT 0,
    corrected   INT         NOT NULL DEFAULT 0,
    snapshots   INT         NOT NULL DEFAULT 0,
    error       TEXT
);
CREATE INDEX reconciliation_by_channel ON reconciliation (channel, started_at DESC);

-- One listing's finding. expected: the quantity the channel last applied (null: none yet);
-- computed: the sellable quantity now; channel_quantity: what the channel showed (null: unread).
CREATE TABLE reconciliation_line (
    reconciliation_id UUID    NOT NULL REFERENCES reconciliation (id) ON DELETE CASCADE,
    sku               TEXT    NOT NULL,
    listing_id        TEXT    NOT NULL,
    channel_quantity  BIGINT,
    expected          BIGINT,
    computed          BIGINT,
    state             TEXT    NOT NULL CHECK (state IN
                          ('MATCH', 'DRIFT', 'IN_FLIGHT', 'MISSING', 'UNREADABLE')),
    corrected         BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (reconciliation_id, sku)
);
