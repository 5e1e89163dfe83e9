-- 002: optional client-chosen idempotency keys. A POST /tasks retried with the same Idempotency-Key header
-- (for example after a 503 or a dropped connection) returns the task stored the first time instead of a second one.

ALTER TABLE tasks ADD COLUMN idempotency_key text;

CREATE UNIQUE INDEX tasks_idempotency_key_idx ON tasks (idempotency_key) WHERE idempotency_key IS NOT NULL;
