import Foundation
import PostgresNIO

extension TaskStore {
    /// The task with its full status history, or nil when there is none with this id. While the task is pending,
    /// its place in the queue too (counted on the pending index, so it costs what the backlog ahead costs).
    /// `owner`: with API keys, only that key's tasks are found (nil: every task).
    public func task(id: UUID, owner: String? = nil) async throws(TaskQueueError) -> TaskRecord? {
        let taskQuery: PostgresQuery = """
            SELECT current_status::text, shots, seed, \(unescaped: Self.iso("submitted_at")),
                   \(unescaped: Self.iso("started_at")), \(unescaped: Self.iso("completed_at")),
                   result::text, error_message, error_detail::text, correlation_id, attempts, max_attempts, locked_by,
                   cancel_requested_at IS NOT NULL, extract(epoch FROM completed_at - started_at)::float8,
                   CASE WHEN current_status = 'pending' THEN
                       (SELECT count(*)::int + 1 FROM tasks AS ahead
                        WHERE ahead.current_status = 'pending' AND ahead.submitted_at < t.submitted_at)
                   END, precision
            FROM tasks AS t WHERE task_id = \(id) AND (\(owner)::text IS NULL OR owner = \(owner))
            """
        let historyQuery: PostgresQuery = """
            SELECT status::text, \(unescaped: Self.iso("transitioned_at")), notes, worker_id
            FROM status_history WHERE task_id = \(id) ORDER BY transitioned_at, id
            """
        return try await run("read the task") { () async throws -> TaskRecord? in
            try await client.withConnection { connection in
                let rows = try await connection.query(taskQuery, logger: logger)
                var record: TaskRecord?
                for try await row in rows {
                    let (status, shots, seed, submitted, started, completed, result, errorMessage, errorDetail,
                         correlation, attempts, maxAttempts, lockedBy, cancelRequested, duration, position, precision) = try row.decode(
                        (String, Int, Int64?, String, String?, String?, String?, String?, String?, String?, Int, Int,
                         String?, Bool, Double?, Int?, String).self
                    )
                    var failure = Self.decodeJSON(TaskFailure.self, errorDetail)
                    if failure == nil, let errorMessage {
                        failure = TaskFailure(type: "error", message: errorMessage)
                    }
                    record = TaskRecord(
                        id: id, status: TaskStatus(rawValue: status) ?? .pending, shots: shots,
                        seed: seed.map { UInt64(bitPattern: $0) }, precision: TaskPrecision(rawValue: precision) ?? .double,
                        submittedAt: submitted, startedAt: started, completedAt: completed, durationSeconds: duration,
                        result: Self.decodeJSON(TaskResult.self, result), failure: failure,
                        correlationID: correlation, attempts: attempts, maxAttempts: maxAttempts,
                        lockedBy: lockedBy, queuePosition: position, cancelRequested: cancelRequested, history: []
                    )
                }
                guard var found = record else { return nil }
                let history = try await connection.query(historyQuery, logger: logger)
                for try await (status, at, notes, worker) in history.decode((String, String, String?, String?).self) {
                    found.history.append(StatusHistoryEntry(
                        status: TaskStatus(rawValue: status) ?? .pending, transitionedAt: at, notes: notes, workerID: worker
                    ))
                }
                return found
            }
        }
    }

    /// Tasks per status.
    public func stats() async throws(TaskQueueError) -> QueueStats {
        try await run("read queue statistics") {
            var stats = QueueStats()
            let rows = try await client.query("SELECT current_status::text, count(*) FROM tasks GROUP BY 1", logger: logger)
            for try await (status, count) in rows.decode((String, Int).self) {
                switch TaskStatus(rawValue: status) {
                case .pending: stats.pending = count
                case .processing: stats.processing = count
                case .completed: stats.completed = count
                case .failed: stats.failed = count
                case .cancelled: stats.cancelled = count
                case nil: break
                }
            }
            return stats
        }
    }

    /// What the API's /metrics shows of the queue, read through the partial indexes on pending and processing
    /// rows (a scrape costs what the backlog costs, not what the table's history costs).
    public func queueGauges() async throws(TaskQueueError) -> QueueGauges {
        try await run("read queue gauges") {
            var gauges = QueueGauges()
            let rows = try await client.query("""
                SELECT (SELECT count(*)::int FROM tasks WHERE current_status = 'pending'),
                       (SELECT count(*)::int FROM tasks WHERE current_status = 'processing'),
                       (SELECT coalesce(extract(epoch FROM clock_timestamp() - min(submitted_at)), 0)::float8
                        FROM tasks WHERE current_status = 'pending')
                """, logger: logger)
            for try await (pending, processing, oldest) in rows.decode((Int, Int, Double).self) {
                gauges = QueueGauges(pending: pending, processing: processing, oldestPendingAgeSeconds: oldest)
            }
            return gauges
        }
    }

    /// How long a health ping waits: well under the 2 s `/health` promises, leaving room for a busy machine (at
    /// 1 s, a loaded test machine once took 2.1 s to answer; a healthy server answers `SELECT 1` in milliseconds).
    public static let pingTimeout = Duration.milliseconds(700)

    /// `SELECT 1` with a deadline, so health checks answer in time even when the server hangs or is down.
    public func ping(timeout: Duration = TaskStore.pingTimeout) async -> Bool {
        let client = self.client
        let logger = self.logger
        return await firstResult(within: timeout, otherwise: false) {
            do {
                try await client.query("SELECT 1", logger: logger)
                return true
            } catch {
                return false
            }
        }
    }
}
