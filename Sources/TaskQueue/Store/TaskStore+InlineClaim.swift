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
                var locked: [LockedTask] = []
                for try await row in try await connection.execute(lock, logger: logger) { locked.append(row) }
                let claimed = locked.map(\.task)
                guard !claimed.isEmpty else { return (claimed, Set<ClaimKey>(), [String]()) }
                let outcomes = await runInline(claimed)
                let settle = SettleClaimStatement(locked, outcomes: outcomes, workerID: workerID, leaseSeconds: lease.seconds)
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

/// A task the inline claim's first statement locked, and where its row is: the lock keeps the row where it is until
/// the transaction ends, so the second statement finds it by address (a TID scan) rather than through an index.
struct LockedTask {
    var task: ClaimedTask
    var address: String
}

/// The first half of an inline claim: lock the oldest claimable tasks (SKIP LOCKED: concurrent workers never wait
/// on or take the same row) without changing them yet. The row's address (`ctid`), then the same columns as
/// `ClaimStatement`, the attempt this claim will be included.
struct LockClaimableStatement: PostgresPreparedStatement {
    static let name = "qtq_lock_claimable"

    static let sql = """
        SELECT ctid::text, task_id, circuit, shots, seed, correlation_id, attempts + 1,
               extract(epoch FROM clock_timestamp() - submitted_at)::float8, precision
        FROM tasks
        WHERE current_status = 'pending' AND (run_after IS NULL OR run_after <= clock_timestamp())
        ORDER BY submitted_at, task_id DESC  -- tasks_pending_idx alone yields this order (sql/008)
        LIMIT $1
        FOR UPDATE SKIP LOCKED
        """

    typealias Row = LockedTask

    var limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (address, id, circuit, shots, seed, correlation, attempt, waited, precision) =
            try row.decode((String, UUID, String, Int, Int64?, String?, Int, Double, String).self)
        return LockedTask(
            task: ClaimedTask(claimed: (id, circuit, shots, seed, correlation, attempt, waited, precision)), address: address
        )
    }
}

/// The second half: one UPDATE per locked task, straight to its final status with result or error when it ran
/// inline, else to `processing` under this worker's lease (as `ClaimStatement` leaves it); the attempt is counted
/// either way. History: `processing` at this statement's start for every task, then the final status for those that
/// finished. Not the transaction's start (`now()`): a task the lock statement saw may have been submitted after this
/// transaction began, and its `processing` row would then come before its `pending` one (seen under load).
/// '' stands for NULL in the bound arrays.
///
/// The rows are found by their addresses (`ctid = ANY`, a TID scan) and each picks its values from the bound arrays,
/// rather than joining the ids to the table: this statement's plan is made once per connection
/// (`force_generic_plan`), and a join's plan depends on the statistics of that moment. Made while no task was
/// pending, or while the table was young, the join read every pending task (or every task) per claim: 381 tasks/s
/// instead of ~2,000 under a backlog. No status check either: the lock statement found these rows pending and this
/// transaction holds them, and every one must be settled (the caller counts). The worker's connections forbid
/// sequential scans (`DatabaseURL.clientConfiguration(…, sequentialScans: false)`): a table believed empty would
/// otherwise be read whole rather than by address. `QueryPlanTests` checks the plans.
struct SettleClaimStatement: PostgresPreparedStatement {
    static let name = "qtq_settle_claim"

    static let sql = """
        WITH settled AS (
            UPDATE tasks AS t
            SET (current_status, result, error_message, error_detail, locked_by, lease_expires_at, completed_at) = (
                    SELECT i.status, nullif(i.result, '')::jsonb, nullif(i.error_message, ''), nullif(i.error_detail, '')::jsonb,
                           CASE WHEN i.status = 'processing' THEN $7 END,
                           CASE WHEN i.status = 'processing' THEN clock_timestamp() + make_interval(secs => $8) END,
                           CASE WHEN i.status <> 'processing' THEN clock_timestamp() END
                    FROM unnest($1::uuid[], $2::task_status[], $3::text[], $4::text[], $5::text[])
                         AS i(task_id, status, result, error_message, error_detail)
                    WHERE i.task_id = t.task_id),
                attempts = t.attempts + 1,
                started_at = statement_timestamp()
            WHERE t.ctid = ANY($9::tid[])
            RETURNING t.task_id, t.attempts, t.current_status
        ), history AS (
            INSERT INTO status_history (task_id, status, transitioned_at, notes, worker_id)
            SELECT task_id, 'processing', statement_timestamp(), 'Claimed by worker ' || $7 || ' (attempt ' || attempts || ')', $7
            FROM settled
            UNION ALL
            SELECT s.task_id, s.current_status, clock_timestamp(), n.notes, $7
            FROM settled AS s JOIN unnest($1::uuid[], $6::text[]) AS n(task_id, notes) USING (task_id)
            WHERE s.current_status <> 'processing'
        )
        SELECT task_id, attempts, current_status::text FROM settled
        """

    typealias Row = (UUID, Int, String)

    var ids: [UUID] = []
    var columns = StoredOutcomeColumns()
    var workerID: String
    var leaseSeconds: Double
    var addresses: [String] = []

    /// Every locked task, with its outcome when `outcomes` has one (completed or failed; anything else, and no
    /// outcome, leaves it `processing` for the slots).
    init(_ locked: [LockedTask], outcomes: [FinishedAttempt], workerID: String, leaseSeconds: Double) {
        self.workerID = workerID
        self.leaseSeconds = leaseSeconds
        addresses = locked.map(\.address)
        var byKey: [ClaimKey: AttemptOutcome] = [:]
        for outcome in outcomes { byKey[outcome.key] = outcome.outcome }
        for task in locked.map(\.task) {
            // Completed or failed outcomes end the task here; anything else leaves it `processing` for the slots.
            let stored = byKey[task.key].flatMap(StoredOutcome.init).flatMap { $0.status == .cancelled ? nil : $0 }
            ids.append(task.id)
            columns.append(stored, otherwise: .processing)
        }
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 9)
        bindings.append(ids)
        columns.bind(to: &bindings)
        bindings.append(workerID)
        bindings.append(leaseSeconds)
        bindings.append(addresses)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
