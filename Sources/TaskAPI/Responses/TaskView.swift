import TaskQueue

/// The `GET /tasks/{id}` (and cancel) body. `correlation_id` is this request's; `task_correlation_id` is the one
/// stored when the task was submitted, so a client can find the submission's log lines. Absent values are written
/// as `null` (the contract lists them as required), while `error`, `queue_position` and `cancel_requested` appear
/// only in the states they describe.
struct TaskView: Encodable {
    var record: TaskRecord
    var correlationID: String

    private enum Key: String, CodingKey {
        case taskID = "task_id", status, submittedAt = "submitted_at", message, result, error, shots, seed, precision
        case attempts
        case startedAt = "started_at", completedAt = "completed_at", durationSeconds = "duration_seconds"
        case queuePosition = "queue_position", cancelRequested = "cancel_requested", statusHistory = "status_history"
        case correlationID = "correlation_id", taskCorrelationID = "task_correlation_id"
    }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        try object.encode(record.id.lowercasedString, forKey: .taskID)
        try object.encode(record.status, forKey: .status)
        try object.encode(record.submittedAt, forKey: .submittedAt)
        try object.encode(record.status.message, forKey: .message)
        try object.encode(record.status == .completed ? record.result : nil, forKey: .result)
        if record.status == .failed { try object.encodeIfPresent(record.failure, forKey: .error) }
        try object.encode(record.shots, forKey: .shots)
        try object.encode(record.seed, forKey: .seed)
        try object.encode(record.precision, forKey: .precision)
        try object.encode(record.attempts, forKey: .attempts)
        try object.encode(record.startedAt, forKey: .startedAt)
        try object.encode(record.completedAt, forKey: .completedAt)
        try object.encode(record.durationSeconds.map(Self.microseconds), forKey: .durationSeconds)
        if record.status == .pending { try object.encodeIfPresent(record.queuePosition, forKey: .queuePosition) }
        if record.status == .processing, record.cancelRequested { try object.encode(true, forKey: .cancelRequested) }
        try object.encode(record.history.map(StatusHistoryView.init), forKey: .statusHistory)
        try object.encode(correlationID, forKey: .correlationID)
        try object.encode(record.correlationID, forKey: .taskCorrelationID)
    }

    /// Microsecond precision, as the timestamps have (and no binary noise such as 0.0012340000000000001).
    static func microseconds(_ seconds: Double) -> Double {
        (seconds * 1_000_000).rounded() / 1_000_000
    }
}
