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
