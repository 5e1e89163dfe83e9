import TaskQueue

/// What running one task produced: a result to store, or a failure to report to the user.
public enum TaskOutcome: Sendable, Hashable {
    case completed(TaskResult)
    case failed(TaskFailure)
    /// Shutdown interrupted the run; the task goes back to the queue untouched.
    case interrupted
    /// A user cancelled the task; it ends cancelled.
    case cancelled
}
