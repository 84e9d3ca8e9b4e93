-- Transfers between locations: shipped units leave the source's available and are incoming at the
-- destination until received (good, damaged) or, once the transfer is closed, counted as lost.
CREATE TABLE transfer (
    id          UUID PRIMARY KEY,
    source      TEXT        NOT NULL REFERENCES location (code),
    destination TEXT        NOT NULL REFERENCES location (code),
    reference   TEXT,
    status      TEXT        NOT NULL CHECK (status IN
                    ('DRAFT', 'SHIPPED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CANCELLED')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    shipped_at  TIMESTAMPTZ,
    closed_at   TIMESTAMPTZ,
    CHECK (source <> destination)
);

CREATE TABLE transfer_line (
    transfer_id UUID   NOT NULL REFERENCES transfer (id),
    line_number INT    NOT NULL,
    sku         TEXT   NOT NULL REFERENCES item (sku),
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    received    BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
    damaged     BIGINT NOT NULL DEFAULT 0 CHECK (damaged >= 0),
    lost        BIGINT NOT NULL DEFAULT 0 CHECK (lost >= 0),
    PRIMARY KEY (transfer_id, line_number),
    UNIQUE (transfer_id, sku),
    CHECK (received + damaged + lost <= quantity)
);
