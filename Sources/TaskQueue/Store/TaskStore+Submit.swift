import Foundation
import PostgresNIO

extension TaskStore {
    /// Inserts the task and its first history row and notifies the workers, in one statement.
    /// Returns only after commit: an accepted task is never lost.
    ///
    /// With an `idempotencyKey` already stored, nothing is inserted: the earlier task comes back as
    /// `.replayed` when circuit, shots and seed are the same, else `.conflict`.
    public func submit(
        circuit: String,
        shots: Int,
        correlationID: String?,
        seed: UInt64? = nil,
        idempotencyKey: String? = nil,
        maxAttempts: Int = 3
    ) async throws(TaskQueueError) -> SubmittedTask {
        let id = UUID()
        let seedValue = seed.map { Int64(bitPattern: $0) }
        let query: PostgresQuery = """
            WITH inserted AS (
                INSERT INTO tasks (task_id, circuit, shots, current_status, submitted_at, correlation_id, seed, max_attempts,
                                   idempotency_key)
                VALUES (\(id), \(circuit), \(shots), 'pending', clock_timestamp(), \(correlationID), \(seedValue), \(maxAttempts),
                        \(idempotencyKey))
                ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
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
            // Nothing inserted: the key exists. Read it in a new statement, whose snapshot also sees a
            // concurrent submission with the same key that committed while this one waited on it.
            guard let idempotencyKey else { throw TaskQueueError(.query, "The database did not return the new task.") }
            let existing: PostgresQuery = """
                SELECT task_id, \(unescaped: Self.iso("submitted_at")),
                       circuit = \(circuit) AND shots = \(shots) AND seed IS NOT DISTINCT FROM \(seedValue)
                FROM tasks WHERE idempotency_key = \(idempotencyKey)
                """
            for try await (existingID, submittedAt, same) in try await client.query(existing, logger: logger)
                .decode((UUID, String, Bool).self) {
                return SubmittedTask(id: existingID, submittedAt: submittedAt, outcome: same ? .replayed : .conflict)
            }
            throw TaskQueueError(.query, "The task stored under this idempotency key was not found.")
        }
    }
}
