-- The receiving service's own tables: purchase orders, what was announced and what arrived.
-- Quantities are checked here as well as in the code.

CREATE TABLE purchase_order (
    id                UUID PRIMARY KEY,
    number            TEXT          NOT NULL UNIQUE,
    supplier          TEXT          NOT NULL,
    location          TEXT          NOT NULL,
    expected_date     DATE,
    status            TEXT          NOT NULL CHECK (status IN
                          ('OPEN', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CLOSED', 'CANCELLED')),
    tolerance_percent NUMERIC(5, 2) NOT NULL CHECK (tolerance_percent >= 0),
    created_by        TEXT,
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    closed_at         TIMESTAMPTZ
);
CREATE INDEX purchase_order_list ON purchase_order (created_at, id);
CREATE INDEX purchase_order_status ON purchase_order (status, created_at, id);

CREATE TABLE purchase_order_line (
    purchase_order_id UUID   NOT NULL REFERENCES purchase_order (id),
    line_number       INT    NOT NULL,
    sku               TEXT   NOT NULL,
    ordered           BIGINT NOT NULL CHECK (ordered > 0),
    received_good     BIGINT NOT NULL DEFAULT 0 CHECK (received_good >= 0),
    received_damaged  BIGINT NOT NULL DEFAULT 0 CHECK (received_damaged >= 0),
    PRIMARY KEY (purchase_order_id, line_number),
    UNIQUE (purchase_order_id, sku)
);

-- A receipt: one delivery counted at the dock. Lines of SKUs not ordered are kept with ordered = false.
CREATE TABLE receipt (
    id                UUID PRIMARY KEY,
    purchase_order_id UUID        NOT NULL REFERENCES purchase_order (id),
    received_at       TIMESTAMPTZ NOT NULL,
    note              TEXT,
    received_by       TEXT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX receipt_by_order ON receipt (purchase_order_id, created_at);

CREATE TABLE receipt_line (
    receipt_id        UUID    NOT NULL REFERENCES receipt (id),
    line_number       INT     NOT NULL,
    sku               TEXT    NOT NULL,
    good              BIGINT  NOT NULL CHECK (good >= 0),
    damaged           BIGINT  NOT NULL CHECK (damaged >= 0),
    ordered           BOOLEAN NOT NULL,
    -- how much of the PO's incoming this line settled (the rest was over-delivery or unexpected)
    incoming_released BIGINT  NOT NULL CHECK (incoming_released >= 0),
    PRIMARY KEY (receipt_id, line_number)
);

-- Advance ship notices: what a supplier or 3PL says is on its way.
CREATE TABLE ship_notice (
    id                UUID PRIMARY KEY,
    purchase_order_id UUID        NOT NULL REFERENCES purchase_order (id),
    carrier           TEXT        NOT NULL,
    tracking_number   TEXT,
    expected_arrival  TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ship_notice_by_order ON ship_notice (purchase_order_id, created_at);

CREATE TABLE ship_notice_line (
    ship_notice_id UUID   NOT NULL REFERENCES ship_notice (id),
    sku            TEXT   NOT NULL,
    quantity       BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (ship_notice_id, sku)
);

-- The discrepancies raised (each also sent as receiving.exception.raised), shown on the PO.
CREATE TABLE receiving_exception (
    id                UUID PRIMARY KEY,
    purchase_order_id UUID        NOT NULL REFERENCES purchase_order (id),
    kind              TEXT        NOT NULL,
    sku               TEXT        NOT NULL,
    expected          BIGINT      NOT NULL,
    actual            BIGINT      NOT NULL,
    receipt_id        UUID REFERENCES receipt (id),
    raised_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX receiving_exception_by_order ON receiving_exception (purchase_order_id, raised_at);
