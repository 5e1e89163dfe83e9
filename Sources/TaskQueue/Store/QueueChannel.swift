/// NOTIFY channels. Plain names so psql users can `LISTEN qtq_tasks;` too.
public enum QueueChannel {
    /// A task became claimable (payload: task id). Workers listen.
    public static let tasks = "qtq_tasks"
    /// A task finished (payload: `{"task_id": ..., "status": ...}`). Clients and tests listen.
    public static let events = "qtq_task_events"
}
