import Foundation
import Logging
import PostgresNIO

extension TaskStore {
    /// Records a result. Guarded by the lease: only the worker holding this attempt can complete the task,
    /// so a duplicate or late completion changes nothing and returns false.
    @discardableResult
    public func complete(_ task: ClaimedTask, workerID: String, result: TaskResult) async throws(TaskQueueError) -> Bool {
        try await finish([FinishedAttempt(key: task.key, outcome: .completed(result))], workerID: workerID).contains(task.key)
    }

    /// Records a failure (invalid circuit, simulation error). Same guard as `complete`.
    @discardableResult
    public func fail(_ task: ClaimedTask, workerID: String, failure: TaskFailure) async throws(TaskQueueError) -> Bool {
        try await finish([FinishedAttempt(key: task.key, outcome: .failed(failure))], workerID: workerID).contains(task.key)
    }

    /// Gives a task back to the queue without counting the attempt (graceful shutdown).
    @discardableResult
    public func release(_ task: ClaimedTask, workerID: String, notes: String) async throws(TaskQueueError) -> Bool {
        try await finish([FinishedAttempt(key: task.key, outcome: .released(notes: notes))], workerID: workerID).contains(task.key)
    }

    /// Records many attempts' outcomes at once: results, statuses and history rows of completed and failed
    /// attempts in one statement (one transaction) with one notification on the events channel, released
    /// attempts back to the queue in a second one with one wake-up. Each row is guarded by the lease
    /// (`locked_by` and the attempt number), so an attempt this worker no longer holds changes nothing.
    /// Returns the attempts that were applied.
    public func finish(_ attempts: [FinishedAttempt], workerID: String) async throws(TaskQueueError) -> Set<ClaimKey> {
        guard !attempts.isEmpty else { return [] }
        var ended: [FinishedAttempt] = []
        var released: [FinishedAttempt] = []
        for attempt in attempts {
            if case .released = attempt.outcome { released.append(attempt) } else { ended.append(attempt) }
        }
        var applied = Set<ClaimKey>()
        if !ended.isEmpty { applied.formUnion(try await recordEnded(ended, workerID: workerID)) }
        if !released.isEmpty { applied.formUnion(try await putBack(released, workerID: workerID)) }
        return applied
    }

    private func recordEnded(_ attempts: [FinishedAttempt], workerID: String) async throws(TaskQueueError) -> Set<ClaimKey> {
        let statement = RecordOutcomesStatement(attempts, workerID: workerID)
        return try await run("record the tasks' outcomes") {
            // Explicit transaction: "applied" is reported only once the COMMIT is acknowledged.
            let (applied, events) = try await client.inTransaction(logger: logger) { connection in
                try await statement.apply(on: connection, logger: logger)
            }
            await notifyFinished(events)
            return applied
        }
    }

    private func putBack(_ attempts: [FinishedAttempt], workerID: String) async throws(TaskQueueError) -> Set<ClaimKey> {
        let ids = attempts.map(\.key.id)
        let numbers = attempts.map(\.key.attempt)
        let notes = attempts.map { attempt -> String in
            if case .released(let notes) = attempt.outcome { return notes }
            return ""
        }
        let query: PostgresQuery = """
            WITH input AS (
                SELECT * FROM unnest(\(ids)::uuid[], \(numbers)::int[], \(notes)::text[]) AS i(task_id, attempt, notes)
            ), released AS (
                -- Back to the queue; a task whose cancellation was asked for ends cancelled instead.
                UPDATE tasks AS t
                SET current_status = CASE WHEN t.cancel_requested_at IS NULL THEN 'pending'::task_status
                                          ELSE 'cancelled'::task_status END,
                    completed_at = CASE WHEN t.cancel_requested_at IS NOT NULL THEN clock_timestamp() END,
                    locked_by = NULL, lease_expires_at = NULL,
                    started_at = CASE WHEN t.cancel_requested_at IS NOT NULL THEN t.started_at END,
                    attempts = greatest(t.attempts - 1, 0)
                FROM input AS i
                WHERE t.task_id = i.task_id AND t.current_status = 'processing'
                  AND t.locked_by = \(workerID) AND t.attempts = i.attempt
                RETURNING t.task_id, i.attempt, t.current_status,
                          CASE WHEN t.current_status = 'pending' THEN i.notes ELSE 'Cancelled by request' END AS notes
            ), history AS (
                INSERT INTO status_history (task_id, status, transitioned_at, notes, worker_id)
                SELECT task_id, current_status, clock_timestamp(), notes, \(workerID) FROM released
            ), wakeup AS (
                SELECT pg_notify(\(QueueChannel.tasks), (SELECT count(*) FROM released)::text)
                WHERE EXISTS (SELECT 1 FROM released WHERE current_status = 'pending')
            )
            SELECT task_id, attempt, current_status::text FROM released LEFT JOIN wakeup ON true
            """
        return try await run("put the tasks back in the queue") {
            // Explicit transaction: "applied" is reported only once the COMMIT is acknowledged.
            let (applied, events) = try await client.inTransaction(logger: logger) { connection in
                var applied = Set<ClaimKey>()
                var events: [String] = []
                for try await (id, attempt, status) in try await connection.query(query, logger: logger)
                    .decode((UUID, Int, String).self) {
                    applied.insert(ClaimKey(id: id, attempt: attempt))
                    if status != TaskStatus.pending.rawValue {
                        events.append(TaskStore.finishedEvent(id: id, status: status))
                    }
                }
                return (applied, events)
            }
            await notifyFinished(events)
            return applied
        }
    }
}

extension TaskStore {
    /// Puts back tasks the database says this worker holds but the worker does not know of (a claim whose
    /// answer was lost to a timeout or a dropped connection after it committed), their attempt not counted.
    /// Returns how many went back.
    @discardableResult
    public func releaseUnknown(workerID: String, keeping held: [ClaimKey]) async throws(TaskQueueError) -> Int {
        let ids = held.map(\.id)
        let attempts = held.map(\.attempt)
        let query: PostgresQuery = """
            WITH released AS (
                UPDATE tasks AS t
                SET current_status = CASE WHEN t.cancel_requested_at IS NULL THEN 'pending'::task_status
                                          ELSE 'cancelled'::task_status END,
                    completed_at = CASE WHEN t.cancel_requested_at IS NOT NULL THEN clock_timestamp() END,
                    locked_by = NULL, lease_expires_at = NULL, started_at = NULL,
                    attempts = greatest(t.attempts - 1, 0)
                WHERE t.current_status = 'processing' AND t.locked_by = \(workerID)
                  AND NOT EXISTS (SELECT 1 FROM unnest(\(ids)::uuid[], \(attempts)::int[]) AS k(task_id, attempt)
                                  WHERE k.task_id = t.task_id AND k.attempt = t.attempts)
                RETURNING t.task_id, t.current_status
            ), history AS (
                INSERT INTO status_history (task_id, status, transitioned_at, notes, worker_id)
                SELECT task_id, current_status, clock_timestamp(),
                       CASE WHEN current_status = 'pending' THEN 'claim not received by the worker, requeued'
                            ELSE 'Cancelled by request' END,
                       \(workerID)
                FROM released
            ), wakeup AS (
                SELECT pg_notify(\(QueueChannel.tasks), (SELECT count(*) FROM released)::text)
                WHERE EXISTS (SELECT 1 FROM released WHERE current_status = 'pending')
            )
            SELECT count(*)::int FROM released LEFT JOIN wakeup ON true
            """
        return try await run("release unknown claims") {
            var count = 0
            for try await value in try await client.query(query, logger: logger).decode(Int.self) { count = value }
            return count
        }
    }
}

/// Results, statuses and history rows of many finished attempts in one statement, each guarded by the lease (their
/// notification follows the commit). Prepared: planning it cost the server more than running it. '' stands
/// for NULL in the bound arrays (PostgresNIO binds no arrays of optionals). The rows are found with
/// `task_id = ANY`, each picking its values from the arrays, not by a join: the plan is made once per connection,
/// and a join's plan made while the table was young can read every task per call (see `SettleClaimStatement`).
struct RecordOutcomesStatement: PostgresPreparedStatement {
    static let name = "qtq_record_outcomes"

    /// The statement for completed, failed and cancelled attempts (released ones are not recorded by it).
    init(_ attempts: [FinishedAttempt], workerID: String) {
        self.workerID = workerID
        for attempt in attempts {
            guard let stored = StoredOutcome(attempt.outcome) else { continue }
            self.ids.append(attempt.key.id)
            self.attempts.append(attempt.key.attempt)
            columns.append(stored, otherwise: stored.status)
        }
    }

    /// Runs the statement on `connection` (inside the caller's transaction): the attempts it applied, and one
    /// `{"task_id": ..., "status": ...}` event per applied attempt for the events channel.
    func apply(on connection: PostgresConnection, logger: Logger) async throws -> (applied: Set<ClaimKey>, events: [String]) {
        var applied = Set<ClaimKey>()
        var events: [String] = []
        guard !ids.isEmpty else { return (applied, events) }
        for try await (id, attempt, status) in try await connection.execute(self, logger: logger) {
            applied.insert(ClaimKey(id: id, attempt: attempt))
            events.append(TaskStore.finishedEvent(id: id, status: status))
        }
        return (applied, events)
    }

    static let sql = """
        WITH finished AS (
            UPDATE tasks AS t
            -- A cancellation asked for while the task ran wins over whatever the worker reports.
            SET (current_status, result, error_message, error_detail) = (
                    SELECT CASE WHEN t.cancel_requested_at IS NULL THEN i.status ELSE 'cancelled' END,
                           CASE WHEN t.cancel_requested_at IS NULL THEN nullif(i.result, '')::jsonb END,
                           CASE WHEN t.cancel_requested_at IS NULL THEN nullif(i.error_message, '') END,
                           CASE WHEN t.cancel_requested_at IS NULL THEN nullif(i.error_detail, '')::jsonb END
                    FROM unnest($1::uuid[], $2::int[], $3::task_status[], $4::text[], $5::text[], $6::text[])
                         AS i(task_id, attempt, status, result, error_message, error_detail)
                    WHERE i.task_id = t.task_id AND i.attempt = t.attempts
                    LIMIT 1),
                completed_at = clock_timestamp(),
                locked_by = NULL,
                lease_expires_at = NULL
            WHERE t.task_id = ANY($1::uuid[]) AND t.current_status = 'processing' AND t.locked_by = $8
              AND t.attempts = ($2::int[])[array_position($1::uuid[], t.task_id)]
            RETURNING t.task_id, t.attempts, t.current_status, t.cancel_requested_at IS NOT NULL AS cancel_requested
        ), history AS (
            INSERT INTO status_history (task_id, status, transitioned_at, notes, worker_id)
            SELECT f.task_id, f.current_status, clock_timestamp(),
                   CASE WHEN NOT f.cancel_requested OR n.status = 'cancelled' THEN n.notes
                        ELSE 'Cancelled by request while running' END,
                   $8
            FROM finished AS f
            JOIN unnest($1::uuid[], $2::int[], $3::task_status[], $7::text[]) AS n(task_id, attempt, status, notes)
              ON n.task_id = f.task_id AND n.attempt = f.attempts
        )
        SELECT task_id, attempts, current_status::text FROM finished
        """

    typealias Row = (UUID, Int, String)

    var ids: [UUID] = []
    var attempts: [Int] = []
    var columns = StoredOutcomeColumns()
    var workerID: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(ids)
        bindings.append(attempts)
        columns.bind(to: &bindings)
        bindings.append(workerID)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}

/// How an ended attempt is stored: its status, result or error ('' for none) and its history note. Nil for an outcome
/// that ends nothing (released back to the queue).
struct StoredOutcome {
    var status: TaskStatus
    var result = ""
    var message = ""
    var detail = ""
    var note: String

    init?(_ outcome: AttemptOutcome) {
        switch outcome {
        case .completed(let taskResult):
            status = .completed
            result = taskResult.jsonText
            note = "Task completed successfully"
        case .failed(let failure):
            status = .failed
            message = failure.message
            detail = TaskStore.encodeJSON(failure)
            note = "Task failed: \(failure.message)"
        case .cancelled:
            status = .cancelled
            note = "Cancelled by request while running"
        case .released:
            return nil
        }
    }
}

/// The outcome columns both batched statements bind (`RecordOutcomesStatement`, `SettleClaimStatement`): status,
/// result, error message, error detail and history note, one array each and '' for none, in that order.
struct StoredOutcomeColumns {
    var statuses: [String] = []
    var results: [String] = []
    var messages: [String] = []
    var details: [String] = []
    var notes: [String] = []

    /// One row: `stored`'s columns, or `status` and nothing else when there is no outcome to store.
    mutating func append(_ stored: StoredOutcome?, otherwise status: TaskStatus) {
        statuses.append((stored?.status ?? status).rawValue)
        results.append(stored?.result ?? "")
        messages.append(stored?.message ?? "")
        details.append(stored?.detail ?? "")
        notes.append(stored?.note ?? "")
    }

    func bind(to bindings: inout PostgresBindings) {
        bindings.append(statuses)
        bindings.append(results)
        bindings.append(messages)
        bindings.append(details)
        bindings.append(notes)
    }
}
