import Foundation
import PostgresNIO

/// A task to store: what `POST /tasks` accepted.
public struct NewTask: Sendable, Hashable {
    public var circuit: String
    public var shots: Int
    public var correlationID: String?
    public var seed: UInt64?
    /// Client-chosen key that makes a retried submission return the task stored the first time.
    public var idempotencyKey: String?
    public var maxAttempts: Int
    /// The API key's name that submitted it (nil without API keys): only that key sees the task.
    public var owner: String?
    /// The precision its state vector is simulated in.
    public var precision: TaskPrecision

    public init(
        circuit: String, shots: Int, correlationID: String? = nil, seed: UInt64? = nil, idempotencyKey: String? = nil,
        maxAttempts: Int = 3, owner: String? = nil, precision: TaskPrecision = .double
    ) {
        self.owner = owner
        self.precision = precision
        self.circuit = circuit
        self.shots = shots
        self.correlationID = correlationID
        self.seed = seed
        self.idempotencyKey = idempotencyKey
        self.maxAttempts = maxAttempts
    }

    /// The key as stored: an owner's keys live in a namespace of their own (the separator, U+001F, cannot occur in
    /// a key), so two API keys never see each other's submissions through a shared idempotency key.
    var storedIdempotencyKey: String? {
        guard let idempotencyKey else { return nil }
        guard let owner else { return idempotencyKey }
        return owner + "\u{1F}" + idempotencyKey
    }

    /// Same circuit, shots, seed and precision: a retry of this submission rather than a different one.
    func isSameSubmission(as other: NewTask) -> Bool {
        circuit == other.circuit && shots == other.shots && seed == other.seed && precision == other.precision
    }
}

extension TaskStore {
    /// Stores one task (see `submit(_:)` for the guarantees).
    public func submit(
        circuit: String,
        shots: Int,
        correlationID: String?,
        seed: UInt64? = nil,
        idempotencyKey: String? = nil,
        maxAttempts: Int = 3
    ) async throws(TaskQueueError) -> SubmittedTask {
        let task = NewTask(
            circuit: circuit, shots: shots, correlationID: correlationID, seed: seed, idempotencyKey: idempotencyKey,
            maxAttempts: maxAttempts
        )
        guard let submitted = try await submit([task]).first else {
            throw TaskQueueError(.query, "The database did not return the new task.")
        }
        return submitted
    }

    /// Stores `tasks` and their first history rows in one explicit transaction, sends one wake-up to the workers
    /// once it committed, and returns only after PostgreSQL acknowledged the COMMIT: a returned task is durable. (The first row of
    /// an implicit transaction arrives before its commit, which can still fail, e.g. on a deferred constraint.)
    /// All or nothing: on error no task of the batch is stored, or (connection lost during COMMIT) the outcome is
    /// unknown, which is why that case is `.unavailable` and clients retry with an idempotency key.
    ///
    /// Answers come back in the order of `tasks`. With an idempotency key that is already stored (or used
    /// earlier in the same batch) nothing is inserted for it: the earlier task comes back as `.replayed` when
    /// circuit, shots and seed are the same, else `.conflict`.
    public func submit(_ tasks: [NewTask]) async throws(TaskQueueError) -> [SubmittedTask] {
        guard !tasks.isEmpty else { return [] }
        let plan = SubmissionPlan(tasks)
        let insert = plan.insertStatement()
        let lookup = plan.lookupQuery()
        return try await run("submit the task") {
            let answers = try await client.inTransaction(logger: logger) { connection in
                var stored: [UUID: String] = [:]
                for try await (id, submittedAt) in try await connection.execute(insert, logger: logger) {
                    stored[id] = submittedAt
                }
                // Keys already taken by an earlier transaction: a new statement's snapshot sees that one's
                // row even when this INSERT waited on its commit.
                var existing: [String: ExistingTask] = [:]
                if let lookup = lookup(stored) {
                    for try await (key, id, submittedAt, circuit, shots, seed, precision) in try await connection
                        .query(lookup, logger: logger).decode((String, UUID, String, String, Int, Int64?, String).self) {
                        existing[key] = ExistingTask(
                            id: id, submittedAt: submittedAt,
                            task: NewTask(
                                circuit: circuit, shots: shots, seed: seed.map { UInt64(bitPattern: $0) },
                                precision: TaskPrecision(rawValue: precision) ?? .double
                            )
                        )
                    }
                }
                return try plan.answers(stored: stored, existing: existing)
            }
            // One wake-up per batch, once its tasks are committed (payload: how many became claimable).
            let created = answers.filter { $0.outcome == .created }.count
            if created > 0 { await notify(QueueChannel.tasks, payload: String(created)) }
            return answers
        }
    }
}

/// A task already stored under an idempotency key.
struct ExistingTask: Sendable {
    var id: UUID
    var submittedAt: String
    var task: NewTask
}

/// Which rows of a batch to insert, and how to answer each submission once the database replied.
struct SubmissionPlan: Sendable {
    let tasks: [NewTask]
    /// A fresh id per submission; only the rows in `inserting` are offered to the INSERT.
    let ids: [UUID]
    /// Indexes of submissions offered to the INSERT: every one without a key, and the first of each key.
    let inserting: [Int]
    /// For a submission whose key appears earlier in the batch, the index of that first one.
    let firstWithKey: [Int: Int]

    init(_ tasks: [NewTask]) {
        self.tasks = tasks
        ids = tasks.map { _ in UUID.makeRandom() }
        var seen: [String: Int] = [:]
        var inserting: [Int] = []
        var firstWithKey: [Int: Int] = [:]
        for (index, task) in tasks.enumerated() {
            if let key = task.storedIdempotencyKey {
                if let first = seen[key] {
                    firstWithKey[index] = first
                    continue
                }
                seen[key] = index
            }
            inserting.append(index)
        }
        self.inserting = inserting
        self.firstWithKey = firstWithKey
    }

    /// The batch's INSERT (see `InsertTasksStatement`).
    func insertStatement() -> InsertTasksStatement {
        let rows = inserting.map { tasks[$0] }
        return InsertTasksStatement(
            ids: inserting.map { self.ids[$0] },
            circuits: rows.map(\.circuit),
            shots: rows.map(\.shots),
            correlationIDs: rows.map { $0.correlationID ?? "" },
            seeds: rows.map { $0.seed.map { String(Int64(bitPattern: $0)) } ?? "" },
            maxAttempts: rows.map(\.maxAttempts),
            keys: rows.map { $0.storedIdempotencyKey ?? "" },
            owners: rows.map { $0.owner ?? "" },
            precisions: rows.map(\.precision.rawValue)
        )
    }

    /// After the INSERT: the rows behind keys it did not insert, or nil when every keyed submission got its row.
    func lookupQuery() -> @Sendable ([UUID: String]) -> PostgresQuery? {
        let tasks = self.tasks
        let ids = self.ids
        let inserting = self.inserting
        return { stored in
            let keys = inserting.compactMap { index in stored[ids[index]] == nil ? tasks[index].storedIdempotencyKey : nil }
            guard !keys.isEmpty else { return nil }
            return """
                SELECT idempotency_key, task_id, \(unescaped: TaskStore.iso("submitted_at")), circuit, shots, seed, precision
                FROM tasks WHERE idempotency_key = ANY(\(keys)::text[])
                """
        }
    }

    func answers(stored: [UUID: String], existing: [String: ExistingTask]) throws -> [SubmittedTask] {
        var answers: [SubmittedTask?] = Array(repeating: nil, count: tasks.count)
        for index in inserting {
            if let submittedAt = stored[ids[index]] {
                answers[index] = SubmittedTask(id: ids[index], submittedAt: submittedAt)
            } else if let key = tasks[index].storedIdempotencyKey, let earlier = existing[key] {
                answers[index] = SubmittedTask(
                    id: earlier.id, submittedAt: earlier.submittedAt,
                    outcome: tasks[index].isSameSubmission(as: earlier.task) ? .replayed : .conflict
                )
            } else {
                throw TaskQueueError(.query, "The task stored under this idempotency key was not found.")
            }
        }
        for (index, first) in firstWithKey {
            guard let earlier = answers[first], let key = tasks[index].storedIdempotencyKey else { continue }
            // The key refers to what was stored under it: an earlier transaction's task, else this batch's first.
            let reference = existing[key]?.task ?? tasks[first]
            answers[index] = SubmittedTask(
                id: earlier.id, submittedAt: earlier.submittedAt,
                outcome: tasks[index].isSameSubmission(as: reference) ? .replayed : .conflict
            )
        }
        let complete = answers.compactMap { $0 }
        guard complete.count == tasks.count else {
            throw TaskQueueError(.query, "The database did not return every submitted task.")
        }
        return complete
    }
}

/// One multi-row INSERT of tasks and history rows for the whole batch (its wake-up follows the commit), as a prepared statement:
/// parsing and planning this statement cost the server more than running it. Arrays of non-optional values are
/// bound (PostgresNIO has no arrays of optionals): '' stands for NULL, which no correlation id, key or seed text can be.
struct InsertTasksStatement: PostgresPreparedStatement {
    static let name = "qtq_insert_tasks"

    static let sql = """
        WITH input AS (
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[],
                                 $9::text[])
                   WITH ORDINALITY AS i(task_id, circuit, shots, correlation_id, seed, max_attempts, idempotency_key, owner,
                                        precision, position)
        ), inserted AS (
            INSERT INTO tasks (task_id, circuit, shots, current_status, submitted_at, correlation_id, seed, max_attempts,
                               idempotency_key, owner, precision)
            SELECT task_id, circuit, shots, 'pending', clock_timestamp(), nullif(correlation_id, ''),
                   nullif(seed, '')::bigint, max_attempts, nullif(idempotency_key, ''), nullif(owner, ''), precision
            FROM input ORDER BY position
            ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING task_id, submitted_at
        ), history AS (
            INSERT INTO status_history (task_id, status, transitioned_at, notes)
            SELECT task_id, 'pending', submitted_at, 'Task created and queued' FROM inserted
        )
        SELECT task_id, \(TaskStore.iso("submitted_at")) FROM inserted
        """

    typealias Row = (UUID, String)

    var ids: [UUID]
    var circuits: [String]
    var shots: [Int]
    var correlationIDs: [String]
    var seeds: [String]
    var maxAttempts: [Int]
    var keys: [String]
    var owners: [String]
    var precisions: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 9)
        bindings.append(ids)
        bindings.append(circuits)
        bindings.append(shots)
        bindings.append(correlationIDs)
        bindings.append(seeds)
        bindings.append(maxAttempts)
        bindings.append(keys)
        bindings.append(owners)
        bindings.append(precisions)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
