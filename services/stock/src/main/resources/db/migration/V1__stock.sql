-- The stock service's own tables. Every rule that protects a quantity is enforced here as well as
-- in the code: no bucket below zero, an append-only ledger, one sequence per (SKU, location).

CREATE TABLE location (
    code          TEXT PRIMARY KEY,
    name          TEXT        NOT NULL,
    type          TEXT        NOT NULL CHECK (type IN ('WAREHOUSE', 'THIRD_PARTY', 'MARKETPLACE', 'STORE')),
    authoritative BOOLEAN     NOT NULL DEFAULT false,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE item (
    sku                 TEXT PRIMARY KEY,
    name                TEXT          NOT NULL,
    unit_cost           NUMERIC(14,4) NOT NULL DEFAULT 0 CHECK (unit_cost >= 0),
    low_stock_threshold BIGINT        NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
    created_at          TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ   NOT NULL DEFAULT now()
);

-- One row per (SKU, location): every state's balance and the sequence of the last ledger entry.
CREATE TABLE balance (
    sku             TEXT        NOT NULL REFERENCES item (sku),
    location        TEXT        NOT NULL REFERENCES location (code),
    available       BIGINT      NOT NULL DEFAULT 0 CHECK (available >= 0),
    committed       BIGINT      NOT NULL DEFAULT 0 CHECK (committed >= 0),
    reserved        BIGINT      NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    safety_stock    BIGINT      NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
    quality_control BIGINT      NOT NULL DEFAULT 0 CHECK (quality_control >= 0),
    damaged         BIGINT      NOT NULL DEFAULT 0 CHECK (damaged >= 0),
    incoming        BIGINT      NOT NULL DEFAULT 0 CHECK (incoming >= 0),
    sequence        BIGINT      NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (sku, location)
);
CREATE INDEX balance_by_location ON balance (location, sku);

-- The immutable ledger: one entry per change of one bucket.
CREATE TABLE ledger (
    id              BIGSERIAL PRIMARY KEY,
    movement_id     UUID        NOT NULL,
    sku             TEXT        NOT NULL,
    location        TEXT        NOT NULL,
    sequence        BIGINT      NOT NULL CHECK (sequence > 0),
    state           TEXT        NOT NULL CHECK (state IN ('available', 'committed', 'reserved', 'safetyStock',
                                                          'qualityControl', 'damaged', 'incoming')),
    delta           BIGINT      NOT NULL CHECK (delta <> 0),
    balance_after   BIGINT      NOT NULL CHECK (balance_after >= 0),
    reason          TEXT        NOT NULL,
    reference       TEXT,
    actor           TEXT        NOT NULL,
    idempotency_key TEXT,
    occurred_at     TIMESTAMPTZ NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT ledger_sequence UNIQUE (sku, location, sequence),
    CONSTRAINT ledger_balance FOREIGN KEY (sku, location) REFERENCES balance (sku, location)
);
CREATE INDEX ledger_by_movement ON ledger (movement_id);
CREATE INDEX ledger_by_location ON ledger (location, sku, sequence);

CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER ledger_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();

-- Reservations: all-or-nothing over their lines, held in `committed` until shipped, released or expired.
CREATE TABLE reservation (
    id             UUID PRIMARY KEY,
    reference      TEXT        NOT NULL,
    status         TEXT        NOT NULL CHECK (status IN ('ACTIVE', 'FULFILLED', 'RELEASED', 'EXPIRED')),
    expires_at     TIMESTAMPTZ,
    correlation_id TEXT,
    actor          TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX reservation_due ON reservation (expires_at) WHERE status = 'ACTIVE' AND expires_at IS NOT NULL;
CREATE INDEX reservation_by_reference ON reservation (reference);

CREATE TABLE reservation_line (
    reservation_id UUID   NOT NULL REFERENCES reservation (id),
    line_no        INT    NOT NULL,
    sku            TEXT   NOT NULL,
    location       TEXT   NOT NULL,
    quantity       BIGINT NOT NULL CHECK (quantity > 0),
    shipped        BIGINT NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    released       BIGINT NOT NULL DEFAULT 0 CHECK (released >= 0),
    PRIMARY KEY (reservation_id, line_no),
    CHECK (shipped + released <= quantity)
);
