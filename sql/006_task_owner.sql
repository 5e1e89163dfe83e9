-- 006: API keys. With QTQ_API_KEYS set, each task belongs to the key that submitted it (the key's name, never
-- the secret) and is invisible to other keys. NULL: submitted without keys.
ALTER TABLE tasks ADD COLUMN owner text;

-- GET /tasks for one owner, newest first.
CREATE INDEX tasks_owner_submitted_idx ON tasks (owner, submitted_at DESC, task_id DESC) WHERE owner IS NOT NULL;
