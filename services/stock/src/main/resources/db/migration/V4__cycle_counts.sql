-- Cycle counts: a snapshot of onHand (and the balance's sequence) per SKU when the count starts;
-- results replay the ledger entries after that sequence up to the moment of counting, so units
-- that moved during the count are not variances.
CREATE TABLE cycle_count (
    id                UUID PRIMARY KEY,
    location          TEXT          NOT NULL REFERENCES location (code),
    status            TEXT          NOT NULL CHECK (status IN
                          ('OPEN', 'COMPLETED', 'AWAITING_APPROVAL', 'APPROVED', 'REJECTED')),
    blind             BOOLEAN       NOT NULL,
    abc_class         TEXT CHECK (abc_class IN ('A', 'B', 'C')),
    tolerance_units   BIGINT        NOT NULL CHECK (tolerance_units >= 0),
    tolerance_percent NUMERIC(7,4)  NOT NULL CHECK (tolerance_percent BETWEEN 0 AND 100),
    created_by        TEXT          NOT NULL,
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    results_by        TEXT,
    results_at        TIMESTAMPTZ,
    decided_by        TEXT,
    decided_at        TIMESTAMPTZ,
    decision_note     TEXT
);
-- inventory record accuracy reads counts by the time their results were recorded
CREATE INDEX cycle_count_by_results ON cycle_count (location, results_at) WHERE results_at IS NOT NULL;

CREATE TABLE cycle_count_line (
    count_id          UUID          NOT NULL REFERENCES cycle_count (id),
    line_number       INT           NOT NULL,
    location          TEXT          NOT NULL,
    sku               TEXT          NOT NULL REFERENCES item (sku),
    expected          BIGINT        NOT NULL CHECK (expected >= 0),
    snapshot_sequence BIGINT        NOT NULL CHECK (snapshot_sequence >= 0),
    expected_at_count BIGINT,
    counted           BIGINT CHECK (counted >= 0),
    counted_at        TIMESTAMPTZ,
    variance          BIGINT,
    unit_cost         NUMERIC(14,4),
    variance_value    NUMERIC(24,4),
    within_tolerance  BOOLEAN,
    status            TEXT          NOT NULL CHECK (status IN
                          ('OPEN', 'ACCEPTED', 'PENDING_APPROVAL', 'APPROVED', 'REJECTED')),
    -- true while the count is OPEN or AWAITING_APPROVAL
    active            BOOLEAN       NOT NULL DEFAULT true,
    PRIMARY KEY (count_id, line_number),
    UNIQUE (count_id, sku)
);
-- one unfinished count per (SKU, location): two would both find, and post, the same variance
CREATE UNIQUE INDEX cycle_count_line_in_progress ON cycle_count_line (location, sku) WHERE active;
CREATE INDEX cycle_count_line_by_sku ON cycle_count_line (sku);
