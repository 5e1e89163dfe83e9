import Foundation
import Logging
import PostgresNIO

/// What `TaskStore.claim(workerID:limit:lease:runningInline:)` did.
public struct InlineClaim: Sendable {
    /// Every attempt claimed, in submission order.
    public var claimed: [ClaimedTask]
    /// The claimed attempts whose outcomes were committed with the claim; the others are this worker's to run.
    public var finished: Set<ClaimKey>
}

extension TaskStore {
    /// Claims like `claim(workerID:limit:lease:)` and, in the same transaction, records the outcomes that
    /// `runInline` returns for some of the claimed attempts (tasks small enough to run while the claim's row locks
    /// are held, typically within a few milliseconds). Those tasks cost one commit instead of two and one row
    /// version instead of two (pending → completed directly), and never show as `processing` to anyone else; their
    /// history still gets its `processing` row (at the claim's time) before the final one. The other claimed
    /// attempts commit as `processing` under this worker's lease, exactly as `claim` leaves them.
    ///
    /// All or nothing: on error nothing is claimed or recorded (or, when the connection was lost during COMMIT,
    /// the outcome is unknown: see `releaseUnknown`), and outcomes `runInline` computed are discarded.
    public func claim(
        workerID: String, limit: Int, lease: Duration,
        runningInline runInline: @escaping @Sendable ([ClaimedTask]) async -> [FinishedAttempt]
    ) async throws(TaskQueueError) -> InlineClaim {
        guard limit > 0 else { return InlineClaim(claimed: [], finished: []) }
        let lock = LockClaimableStatement(limit: limit)
        return try await run("claim and run tasks") {
            let (claimed, finished, events) = try await client.inTransaction(logger: logger) { connection in
                var claimed: [ClaimedTask] = []
                for try await row in try await connection.execute(lock, logger: logger) {
                    claimed.append(ClaimedTask(claimed: row))
                }
                guard !claimed.isEmpty else { return (claimed, Set<ClaimKey>(), [String]()) }
                let outcomes = await runInline(claimed)
                let settle = SettleClaimStatement(claimed, outcomes: outcomes, workerID: workerID, leaseSeconds: lease.seconds)
                var finished = Set<ClaimKey>()
                var events: [String] = []
                var settled = 0
                for try await (id, attempt, status) in try await connection.execute(settle, logger: logger) {
                    settled += 1
                    guard status != TaskStatus.processing.rawValue else { continue }
                    finished.insert(ClaimKey(id: id, attempt: attempt))
                    events.append(TaskStore.finishedEvent(id: id, status: status))
                }
                // The rows are locked by this transaction: every one must have been settled.
                guard settled == claimed.count else {
                    throw TaskQueueError(.query, "The claim settled \(settled) of \(claimed.count) locked tasks.")
                }
                return (claimed, finished, events)
            }
            await notifyFinished(events)
            return InlineClaim(claimed: claimed, finished: finished)
        }
    }
}

/// The first half of an inline claim: lock the oldest claimable tasks (SKIP LOCKED: concurrent workers never wait
/// on or take the same row) without changing them yet. Same columns as `ClaimStatement`, the attempt this claim
/// will be included.
struct LockClaimableStatement: PostgresPreparedStatement {
    static let name = "qtq_lock_claimable"

    static let sql = """
        SELECT task_id, circuit, shots, seed, correlation_id, attempts + 1,
               extract(epoch FROM clock_timestamp() - submitted_at)::float8, precision
        FROM tasks
        WHERE current_status = 'pending' AND (run_after IS NULL OR run_after <= clock_timestamp())
        ORDER BY submitted_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED
        """

    typealias Row = ClaimStatement.Row

    var limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}

/// The second half: one UPDATE per locked task, straight to its final status with result or error when it ran
/// inline, else to `processing` under this worker's lease (as `ClaimStatement` leaves it); the attempt is counted
/// either way. History: `processing` at this statement's start for every task, then the final status for those that
/// finished. Not the transaction's start (`now()`): a task the lock statement saw may have been submitted after this
/// transaction began, and its `processing` row would then come before its `pending` one (seen under load).
/// '' stands for NULL in the bound arrays.
struct SettleClaimStatement: PostgresPreparedStatement {
    static let name = "qtq_settle_claim"

    static let sql = """
        WITH input AS (
            SELECT * FROM unnest($1::uuid[], $2::task_status[], $3::text[], $4::text[], $5::text[], $6::text[])
                   AS i(task_id, status, result, error_message, error_detail, notes)
        ), settled AS (
            UPDATE tasks AS t
            SET current_status = i.status,
                attempts = t.attempts + 1,
                started_at = statement_timestamp(),
                locked_by = CASE WHEN i.status = 'processing' THEN $7 END,
                lease_expires_at = CASE WHEN i.status = 'processing' THEN clock_timestamp() + make_interval(secs => $8) END,
                result = nullif(i.result, '')::jsonb,
                error_message = nullif(i.error_message, ''),
                error_detail = nullif(i.error_detail, '')::jsonb,
                completed_at = CASE WHEN i.status <> 'processing' THEN clock_timestamp() END
            FROM input AS i
            WHERE t.task_id = i.task_id AND t.current_status = 'pending'
            RETURNING t.task_id, t.attempts, t.current_status, i.notes
        ), history AS (
            INSERT INTO status_history (task_id, status, transitioned_at, notes, worker_id)
            SELECT task_id, 'processing', statement_timestamp(), 'Claimed by worker ' || $7 || ' (attempt ' || attempts || ')', $7
            FROM settled
            UNION ALL
            SELECT task_id, current_status, clock_timestamp(), notes, $7 FROM settled WHERE current_status <> 'processing'
        )
        SELECT task_id, attempts, current_status::text FROM settled
        """

    typealias Row = (UUID, Int, String)

    var ids: [UUID] = []
    var columns = StoredOutcomeColumns()
    var workerID: String
    var leaseSeconds: Double

    /// Every claimed task, with its outcome when `outcomes` has one (completed or failed; anything else, and no
    /// outcome, leaves it `processing` for the slots).
    init(_ claimed: [ClaimedTask], outcomes: [FinishedAttempt], workerID: String, leaseSeconds: Double) {
        self.workerID = workerID
        self.leaseSeconds = leaseSeconds
        var byKey: [ClaimKey: AttemptOutcome] = [:]
        for outcome in outcomes { byKey[outcome.key] = outcome.outcome }
        for task in claimed {
            // Completed or failed outcomes end the task here; anything else leaves it `processing` for the slots.
            let stored = byKey[task.key].flatMap(StoredOutcome.init).flatMap { $0.status == .cancelled ? nil : $0 }
            ids.append(task.id)
            columns.append(stored, otherwise: .processing)
        }
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(ids)
        columns.bind(to: &bindings)
        bindings.append(workerID)
        bindings.append(leaseSeconds)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
