-- 005: retention, and views for people inspecting the queue with psql.

-- Finished tasks by age: what the retention cleaner deletes, oldest first, and throughput of the last minute.
CREATE INDEX tasks_finished_idx ON tasks (completed_at) WHERE completed_at IS NOT NULL;

-- One row: tasks per status (each count on its own status), the oldest pending task's age, and how many tasks
-- finished in the last minute.
CREATE VIEW queue_stats AS
SELECT
    (SELECT count(*) FROM tasks WHERE current_status = 'pending')    AS pending,
    (SELECT count(*) FROM tasks WHERE current_status = 'processing') AS processing,
    (SELECT count(*) FROM tasks WHERE current_status = 'completed')  AS completed,
    (SELECT count(*) FROM tasks WHERE current_status = 'failed')     AS failed,
    (SELECT count(*) FROM tasks WHERE current_status = 'cancelled')  AS cancelled,
    (SELECT now() - min(submitted_at) FROM tasks WHERE current_status = 'pending') AS oldest_pending_age,
    (SELECT count(*) FROM tasks WHERE completed_at > now() - interval '1 minute')   AS finished_last_minute;

-- Per worker seen in the last hour: tasks it runs now, its last claim, and when its leases run out.
CREATE VIEW worker_activity AS
WITH running AS (
    SELECT locked_by AS worker_id, count(*) AS running_tasks,
           min(lease_expires_at) AS next_lease_expiry, max(lease_expires_at) AS last_lease_expiry
    FROM tasks WHERE current_status = 'processing'
    GROUP BY locked_by
), claims AS (
    SELECT worker_id, max(transitioned_at) AS last_claim, count(*) AS claims_last_hour
    FROM status_history
    WHERE status = 'processing' AND transitioned_at > now() - interval '1 hour' AND worker_id IS NOT NULL
    GROUP BY worker_id
)
SELECT coalesce(r.worker_id, c.worker_id) AS worker_id,
       coalesce(r.running_tasks, 0) AS running_tasks,
       c.last_claim,
       coalesce(c.claims_last_hour, 0) AS claims_last_hour,
       r.next_lease_expiry,
       r.last_lease_expiry
FROM running AS r FULL JOIN claims AS c ON c.worker_id = r.worker_id
ORDER BY running_tasks DESC, last_claim DESC NULLS LAST;

-- A task's history with the time between steps: SELECT * FROM task_timeline WHERE task_id = '...';
CREATE VIEW task_timeline AS
SELECT h.task_id,
       row_number() OVER w AS step,
       h.status,
       h.transitioned_at,
       h.transitioned_at - lag(h.transitioned_at) OVER w AS since_previous,
       h.transitioned_at - first_value(h.transitioned_at) OVER w AS since_submitted,
       h.worker_id,
       h.notes
FROM status_history AS h
WINDOW w AS (PARTITION BY h.task_id ORDER BY h.transitioned_at, h.id);
