-- 004: cancellation and listing.
-- A pending task that is cancelled becomes 'cancelled' at once. A processing one gets cancel_requested_at; its
-- worker stops it (it hears a notification, or sees the flag when it renews its lease) and records 'cancelled'.
-- Nothing else ever overwrites a cancellation: every worker statement is guarded by current_status = 'processing'.
-- (A value added by ALTER TYPE cannot be used in the transaction that adds it, so nothing below mentions it.)

ALTER TYPE task_status ADD VALUE IF NOT EXISTS 'cancelled';

ALTER TABLE tasks ADD COLUMN cancel_requested_at timestamptz;

-- GET /tasks lists newest first with keyset pagination on (submitted_at, task_id).
CREATE INDEX tasks_submitted_idx ON tasks (submitted_at DESC, task_id DESC);
