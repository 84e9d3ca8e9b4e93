-- The exception register: every operational exception any service raises, once (its id is the
-- producer's exceptionId), until someone resolves it with an action.
CREATE TABLE exception_entry (
    id          UUID PRIMARY KEY,
    source      TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    severity    TEXT        NOT NULL,
    reference   TEXT        NOT NULL,
    sku         TEXT,
    location    TEXT,
    expected    BIGINT,
    actual      BIGINT,
    refs        TEXT[]      NOT NULL DEFAULT '{}',
    detail      TEXT,
    occurred_at TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    status      TEXT        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RESOLVED')),
    resolution  TEXT CHECK (resolution IN ('WRITE_OFF', 'ADJUST', 'DISMISS')),
    resolved_by TEXT,
    resolved_at TIMESTAMPTZ,
    note        TEXT
);
CREATE INDEX exception_entry_list ON exception_entry (status, kind, recorded_at, id);
