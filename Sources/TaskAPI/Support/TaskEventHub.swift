import Foundation
import ServiceLifecycle
import Synchronization
import TaskQueue

/// Fans the API's one LISTEN on the events channel out to the requests waiting for a task to finish
/// (`GET /tasks/{id}?wait=S`): a waiter costs a dictionary entry, not a database connection or a polling loop.
/// A payload that names no tasks (`*`: too many to name; `""`: the listener reconnected and may have missed
/// some) wakes every waiter, and each re-reads its task once.
final class TaskEventHub: Service, Sendable {
    /// One waiting request's interest in one task.
    struct Subscription: Sendable {
        fileprivate let token: Int
        let taskID: UUID
        /// Yields when the task may have finished.
        let events: AsyncStream<Void>
    }

    private struct State {
        var waiters: [UUID: [Int: AsyncStream<Void>.Continuation]] = [:]
        var nextToken = 0
        /// Shutting down: new waits return at once.
        var closed = false
    }

    private let state = Mutex(State())
    private let notifications: AsyncStream<String>

    init(notifications: AsyncStream<String>) {
        self.notifications = notifications
    }

    func run() async {
        for await payload in notifications.cancelOnGracefulShutdown() {
            deliver(payload)
        }
        // Graceful shutdown: waiting requests answer now with what they have, so the server can drain.
        let waiting = state.withLock { state in
            state.closed = true
            defer { state.waiters = [:] }
            return state.waiters.values.flatMap(\.values)
        }
        for continuation in waiting { continuation.finish() }
    }

    /// Register before reading the task, so an event between the read and the wait is not missed.
    func subscribe(to taskID: UUID) -> Subscription {
        let (events, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let token = state.withLock { state -> Int? in
            guard !state.closed else { return nil }
            state.nextToken += 1
            state.waiters[taskID, default: [:]][state.nextToken] = continuation
            return state.nextToken
        }
        if token == nil { continuation.finish() }
        return Subscription(token: token ?? 0, taskID: taskID, events: events)
    }

    func unsubscribe(_ subscription: Subscription) {
        let continuation = state.withLock { state -> AsyncStream<Void>.Continuation? in
            let removed = state.waiters[subscription.taskID]?.removeValue(forKey: subscription.token)
            if state.waiters[subscription.taskID]?.isEmpty == true { state.waiters[subscription.taskID] = nil }
            return removed
        }
        continuation?.finish()
    }

    /// How many requests are waiting (tests, metrics).
    var waiterCount: Int { state.withLock { $0.waiters.values.reduce(0) { $0 + $1.count } } }

    func deliver(_ payload: String) {
        // Every worker batch notifies; with nobody waiting (the usual case) there is nothing to decode.
        guard state.withLock({ !$0.waiters.isEmpty }) else { return }
        let ids = Self.taskIDs(in: payload)
        let woken = state.withLock { state -> [AsyncStream<Void>.Continuation] in
            guard let ids else { return state.waiters.values.flatMap(\.values) }
            return ids.flatMap { state.waiters[$0].map { Array($0.values) } ?? [] }
        }
        for continuation in woken { continuation.yield() }
    }

    /// The task ids in a `[{"task_id": ..., "status": ...}, ...]` payload; nil when it names none (wake everyone).
    static func taskIDs(in payload: String) -> [UUID]? {
        guard let events = try? JSONCoding.decoder.decode([TaskEvent].self, from: Data(payload.utf8)) else { return nil }
        return events.map(\.taskID)
    }

    /// One entry of a notification; the status is not needed to wake a waiter.
    private struct TaskEvent: Decodable {
        var taskID: UUID

        private enum CodingKeys: String, CodingKey { case taskID = "task_id" }
    }
}
