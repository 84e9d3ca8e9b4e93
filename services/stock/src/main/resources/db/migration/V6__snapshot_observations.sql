-- The newest snapshot applied per (SKU, authoritative location) (snapshot/SnapshotConsumer).
-- Snapshots can arrive out of order (redelivery, two reconciliation rounds overlapping); one
-- observed before the newest already applied describes a past level and must not overwrite the
-- present one.
CREATE TABLE snapshot_observation (
    sku         TEXT        NOT NULL,
    location    TEXT        NOT NULL,
    observed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (sku, location)
);
