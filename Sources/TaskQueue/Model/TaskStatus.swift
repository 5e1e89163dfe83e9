/// Mirrors the `task_status` enum in sql/001_initial_schema.sql (and `cancelled`, sql/004).
public enum TaskStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, processing, completed, failed, cancelled

    /// The sentence `GET /tasks/{id}` shows for this status.
    public var message: String {
        switch self {
        case .pending: "Task is still in progress."
        case .processing: "Task is being processed."
        case .completed: "Task completed successfully."
        case .failed: "Task execution failed."
        case .cancelled: "Task was cancelled."
        }
    }

    /// Completed, failed or cancelled: nothing will change it any more.
    public var isFinished: Bool {
        switch self {
        case .pending, .processing: false
        case .completed, .failed, .cancelled: true
        }
    }
}
