-- Inbound order webhooks. Every accepted delivery is recorded in the transaction of the message it
-- causes, so a channel's retry of one delivery finds its row and publishes nothing; every order
-- and cancellation published is recorded once per (channel, channel's order id), so the same order
-- sent again under another delivery id publishes nothing either.

-- A delivery channel-sync accepted (signature and window verified), by the channel's delivery id
-- (X-Shopify-Webhook-Id, X-Onhand-Delivery). outcome: PUBLISHED (a message went out),
-- DUPLICATE_ORDER (the order or cancellation had been published already), IGNORED (a topic that
-- carries nothing to fulfil).
CREATE TABLE webhook_delivery (
    channel          TEXT        NOT NULL REFERENCES channel (code),
    delivery_id      TEXT        NOT NULL,
    topic            TEXT        NOT NULL,
    outcome          TEXT        NOT NULL DEFAULT 'IGNORED' CHECK (outcome IN
                         ('PUBLISHED', 'DUPLICATE_ORDER', 'IGNORED')),
    channel_order_id TEXT,
    message_id       UUID,
    received_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (channel, delivery_id)
);
CREATE INDEX webhook_delivery_received ON webhook_delivery (received_at);

-- The order messages published per channel order: RECEIVED (channel-sync.order.received) and
-- CANCELLED (channel-sync.order.cancelled), each at most once. A cancellation may come first;
-- fulfillment keeps it until the order arrives.
CREATE TABLE webhook_order (
    channel          TEXT        NOT NULL REFERENCES channel (code),
    channel_order_id TEXT        NOT NULL,
    kind             TEXT        NOT NULL CHECK (kind IN ('RECEIVED', 'CANCELLED')),
    delivery_id      TEXT        NOT NULL,
    message_id       UUID        NOT NULL,
    published_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (channel, channel_order_id, kind)
);
