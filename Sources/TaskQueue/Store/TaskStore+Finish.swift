import Foundation
import PostgresNIO

extension TaskStore {
    /// Records a result. Guarded by the lease: only the worker holding this attempt can complete the task,
    /// so a duplicate or late completion changes nothing and returns false.
    @discardableResult
    public func complete(_ task: ClaimedTask, workerID: String, result: TaskResult) async throws(TaskQueueError) -> Bool {
        try await finish(task, workerID: workerID, status: .completed, notes: "Task completed successfully",
                         result: Self.encodeJSON(result), failure: nil)
    }

    /// Records a failure (invalid circuit, simulation error). Same guard as `complete`.
    @discardableResult
    public func fail(_ task: ClaimedTask, workerID: String, failure: TaskFailure) async throws(TaskQueueError) -> Bool {
        try await finish(task, workerID: workerID, status: .failed, notes: "Task failed: \(failure.message)",
                         result: nil, failure: failure)
    }

    /// Gives a task back to the queue without counting the attempt (graceful shutdown).
    @discardableResult
    public func release(_ task: ClaimedTask, workerID: String, notes: String) async throws(TaskQueueError) -> Bool {
        let query: PostgresQuery = """
            WITH released AS (
                UPDATE tasks
                SET current_status = 'pending', locked_by = NULL, lease_expires_at = NULL, started_at = NULL,
                    attempts = greatest(attempts - 1, 0)
                WHERE task_id = \(task.id) AND current_status = 'processing'
                  AND locked_by = \(workerID) AND attempts = \(task.attempt)
                RETURNING task_id
            ), history AS (
                INSERT INTO status_history (task_id, status, transitioned_at, notes, worker_id)
                SELECT task_id, 'pending', clock_timestamp(), \(notes), \(workerID) FROM released
            )
            SELECT pg_notify(\(QueueChannel.tasks), task_id::text)::text FROM released
            """
        return try await run("release the task") {
            var released = false
            for try await _ in try await client.query(query, logger: logger).decode(String.self) { released = true }
            return released
        }
    }

    private func finish(
        _ task: ClaimedTask,
        workerID: String,
        status: TaskStatus,
        notes: String,
        result: String?,
        failure: TaskFailure?
    ) async throws(TaskQueueError) -> Bool {
        let statusText = status.rawValue
        let failureJSON = failure.map { Self.encodeJSON($0) }
        let query: PostgresQuery = """
            WITH finished AS (
                UPDATE tasks
                SET current_status = \(statusText)::task_status,
                    result = \(result)::jsonb,
                    error_message = \(failure?.message),
                    error_detail = \(failureJSON)::jsonb,
                    completed_at = clock_timestamp(),
                    locked_by = NULL,
                    lease_expires_at = NULL
                WHERE task_id = \(task.id) AND current_status = 'processing'
                  AND locked_by = \(workerID) AND attempts = \(task.attempt)
                RETURNING task_id, current_status
            ), history AS (
                INSERT INTO status_history (task_id, status, transitioned_at, notes, worker_id)
                SELECT task_id, current_status, clock_timestamp(), \(notes), \(workerID) FROM finished
            )
            SELECT pg_notify(\(QueueChannel.events),
                             json_build_object('task_id', task_id, 'status', current_status)::text)::text
            FROM finished
            """
        return try await run("record the task's outcome") {
            var finished = false
            for try await _ in try await client.query(query, logger: logger).decode(String.self) { finished = true }
            return finished
        }
    }
}
