-- A confirmed message's row is deleted rather than marked: the table holds only what is pending,
-- so the relay reads it in id order without an index over published rows, and never purges.
DROP INDEX IF EXISTS outbox_published;
DROP INDEX IF EXISTS outbox_pending;
DELETE FROM outbox WHERE published_at IS NOT NULL;
ALTER TABLE outbox DROP COLUMN published_at;
