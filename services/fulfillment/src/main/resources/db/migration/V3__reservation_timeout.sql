-- A reservation request stock has not answered within the timeout is reported once.
ALTER TABLE allocation ADD COLUMN overdue_reported_at TIMESTAMPTZ;
CREATE INDEX allocation_overdue ON allocation (created_at) WHERE status = 'REQUESTED' AND overdue_reported_at IS NULL;
