-- Orders allocated to a THIRD_PARTY location are sent to that 3PL; this is the queue of what is
-- still to be sent, retried with backoff until the 3PL accepts it.
CREATE TABLE third_party_dispatch (
    allocation_id   UUID PRIMARY KEY REFERENCES allocation (id),
    location        TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error      TEXT,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX third_party_dispatch_due ON third_party_dispatch (next_attempt_at) WHERE status = 'PENDING';
