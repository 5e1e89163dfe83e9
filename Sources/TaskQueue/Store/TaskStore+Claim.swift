import Foundation
import PostgresNIO

extension TaskStore {
    /// Claims up to `limit` pending tasks, oldest first, for `workerID`. One statement: lock with
    /// SKIP LOCKED (concurrent workers never wait on or double-claim a row), mark processing, start the
    /// lease, count the attempt, and write the `processing` history row.
    public func claim(workerID: String, limit: Int, lease: Duration) async throws(TaskQueueError) -> [ClaimedTask] {
        guard limit > 0 else { return [] }
        let query: PostgresQuery = """
            WITH claimable AS (
                SELECT task_id FROM tasks
                WHERE current_status = 'pending'
                ORDER BY submitted_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE tasks AS t
                SET current_status = 'processing',
                    started_at = clock_timestamp(),
                    attempts = t.attempts + 1,
                    locked_by = \(workerID),
                    lease_expires_at = clock_timestamp() + make_interval(secs => \(lease.seconds))
                FROM claimable
                WHERE t.task_id = claimable.task_id
                RETURNING t.task_id, t.circuit, t.shots, t.seed, t.correlation_id, t.attempts, t.submitted_at
            ), history AS (
                INSERT INTO status_history (task_id, status, transitioned_at, notes, worker_id)
                SELECT task_id, 'processing', clock_timestamp(), 'Claimed by worker ' || \(workerID) || ' (attempt ' || attempts || ')', \(workerID)
                FROM claimed
            )
            SELECT task_id, circuit, shots, seed, correlation_id, attempts FROM claimed ORDER BY submitted_at
            """
        return try await run("claim tasks") {
            var tasks: [ClaimedTask] = []
            let rows = try await client.query(query, logger: logger)
            for try await (id, circuit, shots, seed, correlation, attempt) in rows.decode(
                (UUID, String, Int, Int64?, String?, Int).self
            ) {
                tasks.append(ClaimedTask(
                    id: id, circuit: circuit, shots: shots, seed: seed.map { UInt64(bitPattern: $0) },
                    correlationID: correlation, attempt: attempt
                ))
            }
            return tasks
        }
    }

    /// Pushes the lease of tasks this worker still holds further into the future (long tasks).
    /// Returns the ids whose lease was extended; a task missing from it was lost to a requeue.
    @discardableResult
    public func extendLeases(of ids: [UUID], workerID: String, lease: Duration) async throws(TaskQueueError) -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let query: PostgresQuery = """
            UPDATE tasks SET lease_expires_at = clock_timestamp() + make_interval(secs => \(lease.seconds))
            WHERE task_id = ANY(\(ids)) AND locked_by = \(workerID) AND current_status = 'processing'
            RETURNING task_id
            """
        return try await run("extend leases") {
            var extended = Set<UUID>()
            for try await id in try await client.query(query, logger: logger).decode(UUID.self) {
                extended.insert(id)
            }
            return extended
        }
    }

    /// Requeues processing tasks whose lease expired (their worker died or hung): back to `pending`,
    /// or `failed` once `max_attempts` is used up. Safe to run from every worker at once.
    /// Returns how many tasks went back to pending and how many failed.
    @discardableResult
    public func requeueExpiredLeases() async throws(TaskQueueError) -> (requeued: Int, failed: Int) {
        let failure = TaskFailure(
            type: "lease_expired",
            message: "The task was abandoned: every attempt's worker stopped before finishing it (lease expired)."
        )
        let query: PostgresQuery = """
            WITH expired AS (
                SELECT task_id FROM tasks
                WHERE current_status = 'processing' AND lease_expires_at < clock_timestamp()
                FOR UPDATE SKIP LOCKED
            ), moved AS (
                UPDATE tasks AS t
                SET current_status = CASE WHEN t.attempts >= t.max_attempts
                                          THEN 'failed'::task_status ELSE 'pending'::task_status END,
                    completed_at = CASE WHEN t.attempts >= t.max_attempts THEN clock_timestamp() END,
                    error_message = CASE WHEN t.attempts >= t.max_attempts THEN \(failure.message) END,
                    error_detail = CASE WHEN t.attempts >= t.max_attempts THEN \(Self.encodeJSON(failure))::jsonb END,
                    locked_by = NULL,
                    lease_expires_at = NULL
                FROM expired
                WHERE t.task_id = expired.task_id
                RETURNING t.task_id, t.current_status
            ), history AS (
                INSERT INTO status_history (task_id, status, transitioned_at, notes)
                SELECT task_id, current_status, clock_timestamp(),
                       CASE WHEN current_status = 'pending' THEN 'lease expired, requeued'
                            ELSE 'lease expired, max attempts reached' END
                FROM moved
            )
            SELECT current_status::text,
                   CASE WHEN current_status = 'pending'
                        THEN pg_notify(\(QueueChannel.tasks), task_id::text)
                        ELSE pg_notify(\(QueueChannel.events),
                                       json_build_object('task_id', task_id, 'status', current_status)::text)
                   END::text
            FROM moved
            """
        return try await run("requeue expired leases") {
            var requeued = 0
            var failed = 0
            for try await (status, _) in try await client.query(query, logger: logger).decode((String, String).self) {
                if status == TaskStatus.pending.rawValue { requeued += 1 } else { failed += 1 }
            }
            return (requeued, failed)
        }
    }
}

extension Duration {
    /// Whole and fractional seconds, for `make_interval(secs => ...)`.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
