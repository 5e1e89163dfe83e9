/// Waits for a task to finish with long polls (`GET /tasks/{id}?wait=30`): the server answers as soon as the
/// task is done, so the client learns at once while sending a request only every 30 s while it runs.
struct TaskWaiter {
    static let pollSeconds = 30
    /// A server that answers a long poll early (one from before `wait`, say) must not make this a busy loop.
    static let minimumInterval = Duration.milliseconds(250)

    let api: APIClient
    let progress: ProgressLine

    func waitUntilFinished(_ id: String) async throws(ClientError) -> TaskBody {
        let started = ContinuousClock.now
        defer { progress.clear() }
        while true {
            let requested = ContinuousClock.now
            let task = try await api.task(id, wait: Self.pollSeconds).task
            if task.isFinished { return task }
            let elapsed = (ContinuousClock.now - started).components.seconds
            let position = task.queuePosition.map { ", queue position \($0)" } ?? ""
            progress.show("task \(id): \(task.status)\(position) · \(elapsed) s")
            try? await Task.sleep(until: requested + Self.minimumInterval, clock: .continuous)
        }
    }
}
