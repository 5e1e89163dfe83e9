/// The parts of the API's JSON bodies the CLI reads (see GET /openapi.json). Fields added later by the
/// server are optional here, so the client works against servers from before and after them.
struct ErrorEnvelope: Decodable {
    var error: String
    var message: String
}

struct SubmittedTask: Decodable {
    var taskID: String
    var submittedAt: String

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id", submittedAt = "submitted_at"
    }
}

struct TaskResultBody: Codable, Sendable {
    var counts: [String: Int]
    var shots: Int
    var success: Bool
    var seed: UInt64?
    var precision: String?
}

struct TaskErrorBody: Decodable {
    var type: String
    var message: String
    var line: Int?
    var column: Int?
}

struct TaskBody: Decodable {
    var taskID: String
    var status: String
    var submittedAt: String
    var message: String
    var result: TaskResultBody?
    var error: TaskErrorBody?
    var shots: Int?
    var seed: UInt64?
    var precision: String?
    var attempts: Int?
    var startedAt: String?
    var completedAt: String?
    var queuePosition: Int?
    var durationSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id", status, submittedAt = "submitted_at", message, result, error, shots, seed, precision, attempts
        case startedAt = "started_at", completedAt = "completed_at", queuePosition = "queue_position"
        case durationSeconds = "duration_seconds"
    }

    /// completed, failed and cancelled never change again.
    var isFinished: Bool { ["completed", "failed", "cancelled"].contains(status) }
}

struct TaskSummary: Decodable {
    var taskID: String
    var status: String
    var submittedAt: String
    var shots: Int?
    var attempts: Int?

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id", status, submittedAt = "submitted_at", shots, attempts
    }
}

struct TaskList: Decodable {
    var tasks: [TaskSummary]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case tasks, nextCursor = "next_cursor"
    }
}
