import Foundation

/// NOTIFY channels. Plain names so psql users can `LISTEN qtq_tasks;` too.
public enum QueueChannel {
    /// Work for workers. Payload: how many tasks became claimable, or `cancel <task id>` when a running task's
    /// cancellation was asked for.
    public static let tasks = "qtq_tasks"
    /// Tasks finished (completed, failed, cancelled). Payload: `[{"task_id": ..., "status": ...}, ...]`, or `*`
    /// when too many finished at once to name (listeners re-check every task they wait for). The API listens.
    public static let events = "qtq_task_events"

    static let cancelPrefix = "cancel "

    static func cancelPayload(_ id: UUID) -> String { cancelPrefix + id.lowercasedString }

    /// The task whose cancellation a `tasks` notification asks for, if it is such a notification.
    public static func cancelledTask(inPayload payload: String) -> UUID? {
        guard payload.hasPrefix(cancelPrefix) else { return nil }
        return UUID(uuidString: String(payload.dropFirst(cancelPrefix.count)))
    }
}
