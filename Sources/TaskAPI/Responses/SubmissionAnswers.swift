/// The `POST /tasks` answer (202, or 200 for a replayed Idempotency-Key).
struct SubmissionAnswer: Encodable {
    var taskID: String
    var message: String
    var submittedAt: String
    var correlationID: String

    private enum CodingKeys: String, CodingKey {
        case taskID = "task_id", message, submittedAt = "submitted_at", correlationID = "correlation_id"
    }
}

/// The `POST /tasks/batch` answer: the stored tasks in the order sent.
struct BatchAnswer: Encodable {
    struct Item: Encodable {
        var taskID: String
        var submittedAt: String

        private enum CodingKeys: String, CodingKey { case taskID = "task_id", submittedAt = "submitted_at" }
    }

    var tasks: [Item]
    var correlationID: String

    private enum CodingKeys: String, CodingKey { case tasks, correlationID = "correlation_id" }
}

/// The `GET /tasks` answer: one page, and the cursor of the next (`null` on the last page).
struct TaskListAnswer: Encodable {
    var tasks: [TaskSummaryView]
    var nextCursor: String?
    var correlationID: String

    private enum CodingKeys: String, CodingKey { case tasks, nextCursor = "next_cursor", correlationID = "correlation_id" }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(tasks, forKey: .tasks)
        try object.encode(nextCursor, forKey: .nextCursor)
        try object.encode(correlationID, forKey: .correlationID)
    }
}
