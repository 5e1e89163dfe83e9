import Foundation
import PostgresNIO

extension TaskStore {
    /// Inserts the task and its first history row and notifies the workers, in one statement.
    /// Returns only after commit: an accepted task is never lost.
    public func submit(
        circuit: String,
        shots: Int,
        correlationID: String?,
        seed: UInt64? = nil,
        maxAttempts: Int = 3
    ) async throws(TaskQueueError) -> SubmittedTask {
        let id = UUID()
        let seedValue = seed.map { Int64(bitPattern: $0) }
        let query: PostgresQuery = """
            WITH inserted AS (
                INSERT INTO tasks (task_id, circuit, shots, current_status, submitted_at, correlation_id, seed, max_attempts)
                VALUES (\(id), \(circuit), \(shots), 'pending', clock_timestamp(), \(correlationID), \(seedValue), \(maxAttempts))
                RETURNING task_id, submitted_at
            ), history AS (
                INSERT INTO status_history (task_id, status, transitioned_at, notes)
                SELECT task_id, 'pending', submitted_at, 'Task created and queued' FROM inserted
            )
            SELECT \(unescaped: Self.iso("submitted_at")), pg_notify(\(QueueChannel.tasks), task_id::text)::text
            FROM inserted
            """
        return try await run("submit the task") {
            let rows = try await client.query(query, logger: logger)
            for try await (submittedAt, _) in rows.decode((String, String).self) {
                return SubmittedTask(id: id, submittedAt: submittedAt)
            }
            throw TaskQueueError(.query, "The database did not return the new task.")
        }
    }
}
