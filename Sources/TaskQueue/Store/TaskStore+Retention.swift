import Foundation
import PostgresNIO

extension TaskStore {
    /// Arbitrary constant naming the retention cleaner's advisory lock: one cleaner at a time among all workers.
    static let retentionLockKey: Int64 = 0x7174_715F_7265_74

    /// Deletes up to `limit` tasks that finished (completed, failed, cancelled) more than `age` ago, oldest first,
    /// with their history (ON DELETE CASCADE) and idempotency keys (stored on the task). Runs only if no other
    /// process is cleaning (a transaction-level advisory lock, tried without waiting). Returns how many went, or nil
    /// when another cleaner holds the lock.
    public func deleteFinished(olderThan age: Duration, limit: Int = 1000) async throws(TaskQueueError) -> Int? {
        let query: PostgresQuery = """
            WITH doomed AS (
                SELECT ctid FROM tasks
                WHERE completed_at < clock_timestamp() - make_interval(secs => \(age.seconds))
                  AND current_status IN ('completed', 'failed', 'cancelled')
                ORDER BY completed_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ), deleted AS (
                -- By address: the rows are locked above, and a join's cached plan can read the whole table.
                DELETE FROM tasks WHERE ctid = ANY(ARRAY(SELECT ctid FROM doomed)) RETURNING task_id
            )
            SELECT count(*)::int FROM deleted
            """
        return try await run("delete old finished tasks") { () async throws -> Int? in
            try await client.inTransaction(logger: logger) { connection -> Int? in
                var locked = false
                let lock = try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.retentionLockKey))", logger: logger)
                for try await value in lock.decode(Bool.self) { locked = value }
                guard locked else { return nil }
                var deleted = 0
                for try await count in try await connection.query(query, logger: logger).decode(Int.self) { deleted = count }
                return deleted
            }
        }
    }
}
