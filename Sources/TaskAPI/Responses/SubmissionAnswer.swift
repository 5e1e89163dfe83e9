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
