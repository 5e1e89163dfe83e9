import Foundation
import PostgresNIO

extension TaskStore {
    /// Claims up to `limit` pending tasks, oldest first, for `workerID`. One statement: lock with
    /// SKIP LOCKED (concurrent workers never wait on or double-claim a row), mark processing, start the
    /// lease, count the attempt, and write the `processing` history row.
    public func claim(workerID: String, limit: Int, lease: Duration) async throws(TaskQueueError) -> [ClaimedTask] {
        guard limit > 0 else { return [] }
        let statement = ClaimStatement(limit: limit, workerID: workerID, leaseSeconds: lease.seconds)
        return try await run("claim tasks") {
            var tasks: [ClaimedTask] = []
            for try await row in try await client.execute(statement, logger: logger) {
                tasks.append(ClaimedTask(claimed: row))
            }
            return tasks
        }
    }

    /// Pushes the lease of attempts this worker still holds further into the future (long or queued tasks).
    /// Only the attempt held is renewed: the same task claimed again after a requeue is a different claim.
    /// Returns the attempts whose lease was extended; one missing from it was lost to a requeue.
    ///
    /// `maxAge`: no lease is renewed past this long after its claim, so a task that never ends (or a worker stuck
    /// renewing) cannot hold its slot forever: its lease runs out and the sweeper takes it back.
    @discardableResult
    public func extendLeases(
        of keys: [ClaimKey], workerID: String, lease: Duration, maxAge: Duration = .seconds(3600)
    ) async throws(TaskQueueError) -> Set<ClaimKey> {
        try await renewLeases(of: keys, workerID: workerID, lease: lease, maxAge: maxAge).kept
    }

    /// `extendLeases`, also telling which of the kept attempts a user asked to cancel (the worker's fallback when
    /// it missed the notification).
    public func renewLeases(
        of keys: [ClaimKey], workerID: String, lease: Duration, maxAge: Duration = .seconds(3600)
    ) async throws(TaskQueueError) -> LeaseRenewal {
        guard !keys.isEmpty else { return LeaseRenewal() }
        let ids = keys.map(\.id)
        let attempts = keys.map(\.attempt)
        let query: PostgresQuery = """
            UPDATE tasks AS t SET lease_expires_at = clock_timestamp() + make_interval(secs => \(lease.seconds))
            FROM unnest(\(ids)::uuid[], \(attempts)::int[]) AS held(task_id, attempt)
            WHERE t.task_id = held.task_id AND t.attempts = held.attempt
              AND t.locked_by = \(workerID) AND t.current_status = 'processing'
              AND t.started_at > clock_timestamp() - make_interval(secs => \(maxAge.seconds))
            RETURNING t.task_id, t.attempts, t.cancel_requested_at IS NOT NULL
            """
        return try await run("extend leases") {
            var renewal = LeaseRenewal()
            for try await (id, attempt, cancel) in try await client.query(query, logger: logger).decode((UUID, Int, Bool).self) {
                let key = ClaimKey(id: id, attempt: attempt)
                renewal.kept.insert(key)
                if cancel { renewal.cancelRequested.insert(key) }
            }
            return renewal
        }
    }

    /// Requeues processing tasks whose lease expired more than `grace` ago (their worker died or hung): back
    /// to `pending`, or `failed` once `max_attempts` is used up. At most `limit` per call, so one sweep never
    /// holds many locks; safe to run from every worker at once. Returns how many went back and how many failed.
    @discardableResult
    ///
    /// `serverUptime`: sweep nothing until PostgreSQL has been up this long. After a crash and restart every live
    /// worker's lease has run out; each needs a moment (its connection pool backs off between attempts) to renew
    /// before anyone may judge its tasks abandoned.
    public func requeueExpiredLeases(
        grace: Duration = .zero, serverUptime: Duration = .zero, limit: Int = 500
    ) async throws(TaskQueueError) -> (requeued: Int, failed: Int) {
        let query: PostgresQuery = """
            WITH expired AS (
                SELECT ctid FROM tasks
                WHERE current_status = 'processing'
                  AND lease_expires_at < clock_timestamp() - make_interval(secs => \(grace.seconds))
                  AND pg_postmaster_start_time() < clock_timestamp() - make_interval(secs => \(serverUptime.seconds))
                ORDER BY lease_expires_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ), moved AS (
                UPDATE tasks AS t
                -- A task whose cancellation was asked for ends cancelled; others go back, or fail on their last attempt.
                SET current_status = CASE WHEN t.cancel_requested_at IS NOT NULL THEN 'cancelled'::task_status
                                          WHEN t.attempts >= t.max_attempts THEN 'failed'::task_status
                                          ELSE 'pending'::task_status END,
                    completed_at = CASE WHEN t.cancel_requested_at IS NOT NULL OR t.attempts >= t.max_attempts
                                        THEN clock_timestamp() END,
                    (error_message, error_detail) = (
                        -- The final error names every attempt and why it ended.
                        SELECT message, jsonb_build_object('type', 'lease_expired', 'message', message)
                        FROM (SELECT format('The task failed after %s attempts: each attempt''s worker stopped renewing its '
                                            || 'lease before finishing (it crashed, was killed, hung or lost the database). '
                                            || 'Attempts: %s.',
                                            t.attempts,
                                            string_agg(format('%s on %s, lease expired', n, coalesce(w, 'unknown worker')), '; '))
                                     AS message
                              FROM (SELECT row_number() OVER (ORDER BY h.transitioned_at, h.id) AS n, h.worker_id AS w
                                    FROM status_history h WHERE h.task_id = t.task_id AND h.status = 'processing') AS a) AS f
                        WHERE t.cancel_requested_at IS NULL AND t.attempts >= t.max_attempts
                    ),
                    -- Exponential backoff with jitter before the next attempt: 2, 4, 8 ... 60 s, times 0.5-1.5.
                    run_after = CASE WHEN t.cancel_requested_at IS NULL AND t.attempts < t.max_attempts
                                     THEN clock_timestamp() + make_interval(secs => least(2 ^ t.attempts, 60) * (0.5 + random())) END,
                    locked_by = NULL,
                    lease_expires_at = NULL
                -- By address: the rows are locked above, and a join's cached plan can read the whole table.
                WHERE t.ctid = ANY(ARRAY(SELECT ctid FROM expired))
                RETURNING t.task_id, t.current_status
            ), history AS (
                INSERT INTO status_history (task_id, status, transitioned_at, notes)
                SELECT task_id, current_status, clock_timestamp(),
                       CASE current_status WHEN 'pending' THEN 'lease expired, requeued'
                                           WHEN 'cancelled' THEN 'lease expired, cancelled by request'
                                           ELSE 'lease expired, max attempts reached' END
                FROM moved
            ), wakeup AS (
                SELECT pg_notify(\(QueueChannel.tasks), (SELECT count(*) FROM moved WHERE current_status = 'pending')::text)
                WHERE EXISTS (SELECT 1 FROM moved WHERE current_status = 'pending')
            ), event AS (
                -- Finished tasks by name, or '*' (re-check everything) when their names would not fit a payload.
                SELECT pg_notify(\(QueueChannel.events),
                                 (SELECT CASE WHEN count(*) > 100 THEN '*'
                                              ELSE json_agg(json_build_object('task_id', task_id, 'status', current_status))::text END
                                  FROM moved WHERE current_status <> 'pending'))
                WHERE EXISTS (SELECT 1 FROM moved WHERE current_status <> 'pending')
            )
            SELECT current_status::text FROM moved LEFT JOIN wakeup ON true LEFT JOIN event ON true
            """
        return try await run("requeue expired leases") {
            var requeued = 0
            var failed = 0
            for try await status in try await client.query(query, logger: logger).decode(String.self) {
                if status == TaskStatus.pending.rawValue { requeued += 1 } else if status == TaskStatus.failed.rawValue { failed += 1 }
            }
            return (requeued, failed)
        }
    }
}

extension Duration {
    /// Whole and fractional seconds, for `make_interval(secs => ...)`.
    var seconds: Double {
        self / .seconds(1)
    }
}

extension ClaimedTask {
    init(claimed row: ClaimStatement.Row) {
        let (id, circuit, shots, seed, correlation, attempt, waited, precision) = row
        self.init(
            id: id, circuit: circuit, shots: shots, seed: seed.map { UInt64(bitPattern: $0) },
            correlationID: correlation, attempt: attempt, queueWait: .microseconds(Int64(max(waited, 0) * 1e6)),
            precision: TaskPrecision(rawValue: precision) ?? .double
        )
    }
}

/// The claim, as a prepared statement (planning it cost the server more than running it). One statement: lock
/// with SKIP LOCKED (concurrent workers never wait on or double-claim a row), mark processing, start the lease,
/// count the attempt, and write the `processing` history row. The locked rows are updated by address (see
/// `SettleClaimStatement`: a join's cached plan can read the whole table).
struct ClaimStatement: PostgresPreparedStatement {
    static let name = "qtq_claim"

    static let sql = """
        WITH claimable AS (
            SELECT ctid FROM tasks
            WHERE current_status = 'pending' AND (run_after IS NULL OR run_after <= clock_timestamp())
            ORDER BY submitted_at, task_id DESC  -- tasks_pending_idx alone yields this order (sql/008)
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE tasks AS t
            SET current_status = 'processing',
                started_at = clock_timestamp(),
                attempts = t.attempts + 1,
                locked_by = $2,
                lease_expires_at = clock_timestamp() + make_interval(secs => $3)
            WHERE t.ctid = ANY(ARRAY(SELECT ctid FROM claimable))
            RETURNING t.task_id, t.circuit, t.shots, t.seed, t.correlation_id, t.attempts, t.submitted_at, t.precision
        ), history AS (
            INSERT INTO status_history (task_id, status, transitioned_at, notes, worker_id)
            SELECT task_id, 'processing', clock_timestamp(), 'Claimed by worker ' || $2 || ' (attempt ' || attempts || ')', $2
            FROM claimed
        )
        SELECT task_id, circuit, shots, seed, correlation_id, attempts,
               extract(epoch FROM clock_timestamp() - submitted_at)::float8, precision
        FROM claimed ORDER BY submitted_at
        """

    typealias Row = (UUID, String, Int, Int64?, String?, Int, Double, String)

    var limit: Int
    var workerID: String
    var leaseSeconds: Double

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(limit)
        bindings.append(workerID)
        bindings.append(leaseSeconds)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
