-- 008: the claim's index gets a second column, and the claim orders by both (oldest first; task_id DESC only
-- breaks ties). Why: with one column, tasks_submitted_idx (submitted_at DESC, task_id DESC), read backwards, gave
-- the claim's order just as well, and a plan made while the statistics said the table was empty (the workers keep
-- one plan per connection) could pick it: every claim then read every finished task before the first pending one.
-- No other index yields (submitted_at, task_id DESC), so the claim reads pending rows only.
-- Building the index reads the table once and holds writes back meanwhile (seconds for millions of rows).
DROP INDEX tasks_pending_idx;
CREATE INDEX tasks_pending_idx ON tasks (submitted_at, task_id DESC) WHERE current_status = 'pending';
