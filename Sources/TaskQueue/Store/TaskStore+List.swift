import Foundation
import PostgresNIO

/// Which tasks `TaskStore.list` returns. Every condition is optional; they combine with AND.
public struct TaskListFilter: Sendable, Hashable {
    public var statuses: [TaskStatus]?
    /// Submitted at or after this instant (ISO 8601 text that PostgreSQL reads as timestamptz).
    public var since: String?
    /// Submitted before this instant.
    public var until: String?
    public var correlationID: String?
    /// With API keys: only this key's tasks.
    public var owner: String?
    /// Keyset position: only tasks after this one in newest-first order.
    public var after: TaskListPosition?
    public var limit: Int = 50
    /// Also read results and errors (larger rows).
    public var includeResult = false

    public init() {}
}

/// A place in the newest-first order: what a page's `next_cursor` encodes.
public struct TaskListPosition: Sendable, Hashable {
    /// `submitted_at` exactly as `TaskStore` renders it (microseconds, UTC).
    public var submittedAt: String
    public var id: UUID

    public init(submittedAt: String, id: UUID) {
        self.submittedAt = submittedAt
        self.id = id
    }
}

/// One task in a list: no circuit, no history; result and error only when asked for.
public struct TaskSummary: Sendable, Hashable {
    public var id: UUID
    public var status: TaskStatus
    public var submittedAt: String
    public var shots: Int
    public var seed: UInt64?
    public var attempts: Int
    public var startedAt: String?
    public var completedAt: String?
    public var correlationID: String?
    public var precision: TaskPrecision
    public var result: TaskResult?
    public var failure: TaskFailure?
}

/// A page of tasks and where the next one starts (nil on the last page).
public struct TaskPage: Sendable, Hashable {
    public var tasks: [TaskSummary]
    public var next: TaskListPosition?
}

extension TaskStore {
    /// Tasks newest first, `filter.limit` at a time, by keyset pagination on (submitted_at, task_id): a page
    /// costs the same however deep it is, and tasks submitted meanwhile never shift later pages.
    public func list(_ filter: TaskListFilter) async throws(TaskQueueError) -> TaskPage {
        var bindings = PostgresBindings()
        /// Binds `value` and returns its placeholder (`$3`).
        func parameter(_ value: some PostgresNonThrowingEncodable) -> String {
            bindings.append(value)
            return "$\(bindings.count)"
        }
        var conditions: [String] = []
        if let statuses = filter.statuses {
            conditions.append("current_status = ANY(\(parameter(statuses.map(\.rawValue)))::text[]::task_status[])")
        }
        if let since = filter.since { conditions.append("submitted_at >= \(parameter(since))::timestamptz") }
        if let until = filter.until { conditions.append("submitted_at < \(parameter(until))::timestamptz") }
        if let correlationID = filter.correlationID { conditions.append("correlation_id = \(parameter(correlationID))") }
        if let owner = filter.owner { conditions.append("owner = \(parameter(owner))") }
        if let after = filter.after {
            conditions.append("(submitted_at, task_id) < (\(parameter(after.submittedAt))::timestamptz, \(parameter(after.id))::uuid)")
        }
        // One row more than asked tells whether another page follows.
        let limit = max(1, filter.limit)
        let limitParameter = parameter(limit + 1)
        let resultColumns = filter.includeResult ? "result::text, error_message, error_detail::text" : "NULL, NULL, NULL"
        let sql = """
            SELECT task_id, current_status::text, \(Self.iso("submitted_at")), shots, seed, attempts,
                   \(Self.iso("started_at")), \(Self.iso("completed_at")), correlation_id, precision, \(resultColumns)
            FROM tasks
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY submitted_at DESC, task_id DESC
            LIMIT \(limitParameter)
            """
        let query = PostgresQuery(unsafeSQL: sql, binds: bindings)
        return try await run("list tasks") {
            var tasks: [TaskSummary] = []
            for try await row in try await client.query(query, logger: logger) {
                let (id, status, submitted, shots, seed, attempts, started, completed, correlation, precision, result, errorMessage,
                     errorDetail) = try row.decode(
                    (UUID, String, String, Int, Int64?, Int, String?, String?, String?, String, String?, String?, String?).self
                )
                var failure = Self.decodeJSON(TaskFailure.self, errorDetail)
                if failure == nil, let errorMessage { failure = TaskFailure(type: "error", message: errorMessage) }
                tasks.append(TaskSummary(
                    id: id, status: TaskStatus(rawValue: status) ?? .pending, submittedAt: submitted, shots: shots,
                    seed: seed.map { UInt64(bitPattern: $0) }, attempts: attempts, startedAt: started,
                    completedAt: completed, correlationID: correlation, precision: TaskPrecision(rawValue: precision) ?? .double,
                    result: Self.decodeJSON(TaskResult.self, result),
                    failure: failure
                ))
            }
            guard tasks.count > limit else { return TaskPage(tasks: tasks, next: nil) }
            tasks.removeLast(tasks.count - limit)
            let last = tasks[tasks.count - 1]
            return TaskPage(tasks: tasks, next: TaskListPosition(submittedAt: last.submittedAt, id: last.id))
        }
    }
}
