-- 003: retries wait. A task whose attempt ended without a result (its worker crashed, was killed or was cut off)
-- goes back to the queue with run_after set: workers claim it only after an exponential backoff with jitter,
-- so a task that kills workers cannot take them down one after another, and a brief outage is not re-lived at once.

ALTER TABLE tasks ADD COLUMN run_after timestamptz;  -- NULL: claimable now
