import Foundation
import PostgresNIO

/// What `TaskStore.cancel(id:)` did.
public enum CancelOutcome: Sendable, Hashable {
    /// No task has this id.
    case notFound
    /// It was pending and is now `cancelled`.
    case cancelled
    /// It was cancelled before; nothing changed.
    case alreadyCancelled
    /// It is processing: its worker was asked to stop it, and it will end `cancelled`.
    case requested
    /// It had already completed or failed; nothing changed.
    case finished(TaskStatus)
}

extension TaskStore {
    /// Cancels a task. A pending task becomes `cancelled` in this transaction (with its history row); a processing
    /// one is marked, and its worker, woken by a notification on the tasks channel (payload `cancel <id>`), or
    /// seeing the mark when it renews its lease, stops it and records `cancelled`. Finished tasks are left alone.
    /// `owner`: with API keys, another key's task is `.notFound`.
    public func cancel(id: UUID, owner: String? = nil) async throws(TaskQueueError) -> CancelOutcome {
        let outcome = try await run("cancel the task") { () async throws -> CancelOutcome in
            try await client.inTransaction(logger: logger) { connection -> CancelOutcome in
                // The row lock orders this against a worker's claim or completion of the same task.
                var status: TaskStatus?
                let rows = try await connection.query(
                    """
                    SELECT current_status::text FROM tasks
                    WHERE task_id = \(id) AND (\(owner)::text IS NULL OR owner = \(owner)) FOR UPDATE
                    """, logger: logger
                )
                for try await text in rows.decode(String.self) { status = TaskStatus(rawValue: text) }
                switch status {
                case nil:
                    return .notFound
                case .pending:
                    try await connection.query("""
                        WITH cancelled AS (
                            UPDATE tasks SET current_status = 'cancelled', completed_at = clock_timestamp(), run_after = NULL
                            WHERE task_id = \(id) RETURNING task_id
                        )
                        INSERT INTO status_history (task_id, status, transitioned_at, notes)
                        SELECT task_id, 'cancelled', clock_timestamp(), 'Cancelled by request before it started' FROM cancelled
                        """, logger: logger)
                    return .cancelled
                case .processing:
                    try await connection.query("""
                        UPDATE tasks SET cancel_requested_at = coalesce(cancel_requested_at, clock_timestamp())
                        WHERE task_id = \(id)
                        """, logger: logger)
                    return .requested
                case .cancelled:
                    return .alreadyCancelled
                case .completed, .failed:
                    return .finished(status!)
                }
            }
        }
        // Announced once committed: waiters on the events channel, the running task's worker on the tasks channel.
        switch outcome {
        case .cancelled:
            await notify(QueueChannel.events, payload: #"[{"task_id":"\#(id.lowercasedString)","status":"cancelled"}]"#)
        case .requested:
            await notify(QueueChannel.tasks, payload: QueueChannel.cancelPayload(id))
        case .notFound, .alreadyCancelled, .finished:
            break
        }
        return outcome
    }
}
