-- 001: the task queue. PostgreSQL is the only queue: workers claim rows with
-- SELECT ... FOR UPDATE SKIP LOCKED and hold a lease while they run a circuit.

CREATE TYPE task_status AS ENUM ('pending', 'processing', 'completed', 'failed');

CREATE TABLE tasks (
    task_id          uuid PRIMARY KEY,
    circuit          text        NOT NULL,
    shots            integer     NOT NULL CHECK (shots BETWEEN 1 AND 100000),
    current_status   task_status NOT NULL DEFAULT 'pending',
    submitted_at     timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    completed_at     timestamptz,
    result           jsonb,        -- {"counts": {...}, "shots": N, "success": true, "seed": S} when completed
    error_message    text,         -- one sentence when failed
    error_detail     jsonb,        -- {"type", "message", "line", "column"} when failed
    correlation_id   text,
    seed             bigint,       -- optional seed asked for by the submitter
    attempts         integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    locked_by        text,         -- worker id holding the lease while processing
    lease_expires_at timestamptz
);

-- Serves the claim query: oldest pending first, pending rows only.
CREATE INDEX tasks_pending_idx ON tasks (submitted_at) WHERE current_status = 'pending';
-- Serves the lease sweeper: processing rows whose lease ran out.
CREATE INDEX tasks_processing_lease_idx ON tasks (lease_expires_at) WHERE current_status = 'processing';

CREATE TABLE status_history (
    id              bigserial   PRIMARY KEY,
    task_id         uuid        NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    status          task_status NOT NULL,
    transitioned_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    notes           text,
    worker_id       text
);

CREATE INDEX status_history_task_time_idx ON status_history (task_id, transitioned_at);
