import TaskQueue

/// One entry of `GET /tasks`; with `include=result`, also the result (null unless completed) and, when failed, the
/// error.
struct TaskSummaryView: Encodable {
    var summary: TaskSummary
    var includeResult: Bool

    private enum Key: String, CodingKey {
        case taskID = "task_id", status, submittedAt = "submitted_at", shots, seed, attempts
        case startedAt = "started_at", completedAt = "completed_at", taskCorrelationID = "task_correlation_id"
        case precision, result, error
    }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        try object.encode(summary.id.lowercasedString, forKey: .taskID)
        try object.encode(summary.status, forKey: .status)
        try object.encode(summary.submittedAt, forKey: .submittedAt)
        try object.encode(summary.shots, forKey: .shots)
        try object.encode(summary.seed, forKey: .seed)
        try object.encode(summary.attempts, forKey: .attempts)
        try object.encode(summary.startedAt, forKey: .startedAt)
        try object.encode(summary.completedAt, forKey: .completedAt)
        try object.encode(summary.correlationID, forKey: .taskCorrelationID)
        try object.encode(summary.precision.rawValue, forKey: .precision)
        guard includeResult else { return }
        try object.encode(summary.status == .completed ? summary.result : nil, forKey: .result)
        if summary.status == .failed { try object.encodeIfPresent(summary.failure, forKey: .error) }
    }
}
