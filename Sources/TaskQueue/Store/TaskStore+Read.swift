import Foundation
import PostgresNIO

extension TaskStore {
    /// The task with its full status history, or nil when there is none with this id.
    public func task(id: UUID) async throws(TaskQueueError) -> TaskRecord? {
        let taskQuery: PostgresQuery = """
            SELECT current_status::text, shots, \(unescaped: Self.iso("submitted_at")),
                   \(unescaped: Self.iso("started_at")), \(unescaped: Self.iso("completed_at")),
                   result::text, error_message, error_detail::text, correlation_id, attempts, max_attempts, locked_by
            FROM tasks WHERE task_id = \(id)
            """
        let historyQuery: PostgresQuery = """
            SELECT status::text, \(unescaped: Self.iso("transitioned_at")), notes, worker_id
            FROM status_history WHERE task_id = \(id) ORDER BY transitioned_at, id
            """
        return try await run("read the task") { () async throws -> TaskRecord? in
            try await client.withConnection { connection in
                let rows = try await connection.query(taskQuery, logger: logger)
                var record: TaskRecord?
                for try await row in rows.decode(
                    (String, Int, String, String?, String?, String?, String?, String?, String?, Int, Int, String?).self
                ) {
                    let (status, shots, submitted, started, completed, result, errorMessage, errorDetail,
                         correlation, attempts, maxAttempts, lockedBy) = row
                    var failure = Self.decodeJSON(TaskFailure.self, errorDetail)
                    if failure == nil, let errorMessage {
                        failure = TaskFailure(type: "error", message: errorMessage)
                    }
                    record = TaskRecord(
                        id: id, status: TaskStatus(rawValue: status) ?? .pending, shots: shots,
                        submittedAt: submitted, startedAt: started, completedAt: completed,
                        result: Self.decodeJSON(TaskResult.self, result), failure: failure,
                        correlationID: correlation, attempts: attempts, maxAttempts: maxAttempts,
                        lockedBy: lockedBy, history: []
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
                case nil: break
                }
            }
            return stats
        }
    }

    /// `SELECT 1` with a deadline, so health checks answer in time even when the server hangs or is down.
    public func ping(timeout: Duration = .milliseconds(1500)) async -> Bool {
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
