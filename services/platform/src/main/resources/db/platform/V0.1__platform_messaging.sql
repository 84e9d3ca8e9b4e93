-- Shared mechanics, identical in every service's database.

-- Transactional outbox: rows are written in the same transaction as the state change they announce,
-- then published by the relay (publisher confirms) and marked.
CREATE TABLE outbox (
    id           BIGSERIAL PRIMARY KEY,
    message_id   UUID        NOT NULL UNIQUE,
    type         TEXT        NOT NULL,
    routing_key  TEXT        NOT NULL,
    aggregate    TEXT        NOT NULL,
    headers      TEXT        NOT NULL,
    payload      TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ,
    attempts     INT         NOT NULL DEFAULT 0,
    last_error   TEXT
);
CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Inbox: a consumer records each processed message id in the transaction of its effect,
-- so a redelivered message changes nothing.
CREATE TABLE inbox (
    consumer     TEXT        NOT NULL,
    message_id   TEXT        NOT NULL,
    type         TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX inbox_processed_at ON inbox (processed_at);

-- Failed deliveries, counted outside the failed transaction so retries stay bounded whatever the broker counts.
CREATE TABLE inbox_failure (
    consumer        TEXT        NOT NULL,
    message_id      TEXT        NOT NULL,
    type            TEXT,
    attempts        INT         NOT NULL,
    last_error      TEXT        NOT NULL,
    payload         TEXT,
    first_failed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_failed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    dead_lettered   BOOLEAN     NOT NULL DEFAULT false,
    PRIMARY KEY (consumer, message_id)
);

-- Idempotency keys of HTTP writes: the first successful response, replayed for the same key and body.
CREATE TABLE idempotency_key (
    key           TEXT        PRIMARY KEY,
    request_hash  TEXT        NOT NULL,
    status_code   INT,
    response_body TEXT,
    location      TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
