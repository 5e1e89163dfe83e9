import Foundation
import ServiceLifecycle
import Synchronization

/// Group commit for submissions. Concurrent `submit` calls are gathered into one multi-row transaction
/// (`TaskStore.submit(_:)`), and each caller is answered when its batch commits. A batch starts as soon as
/// a transaction slot is free: a lone submission on an idle queue goes out at once, and under load the
/// submissions that arrive while `maxConcurrentBatches` transactions are committing form the next batch.
/// No timer, so no added delay; batch size follows load.
///
/// `run()` must be running (it is a `Service`). After graceful shutdown starts, queued submissions are still
/// committed; new ones fail with `.unavailable`.
public final class SubmissionBatcher: Service, Sendable {
    public struct Configuration: Sendable {
        /// Transactions in flight at once; more gives lower latency under light load, fewer gives bigger batches.
        public var maxConcurrentBatches = 1
        /// Upper bounds per transaction, so one batch never grows past what a statement should carry.
        public var maxBatchSize = 256
        public var maxBatchBytes = 8 << 20

        public init() {}
    }

    /// Counters for tests and metrics.
    public struct Statistics: Sendable, Equatable {
        public var batches = 0
        public var tasks = 0
        public var largestBatch = 0
        /// Batches that failed as a whole and were retried one submission at a time.
        public var splitBatches = 0

        public init(batches: Int = 0, tasks: Int = 0, largestBatch: Int = 0, splitBatches: Int = 0) {
            self.batches = batches
            self.tasks = tasks
            self.largestBatch = largestBatch
            self.splitBatches = splitBatches
        }
    }

    private struct Waiting {
        var task: NewTask
        var continuation: CheckedContinuation<Result<SubmittedTask, TaskQueueError>, Never>
        /// The caller's deadline: a submission still queued when it passes is refused unstored, so waiting for the
        /// transaction ahead plus its own never adds up to more than the store's operation timeout.
        var deadline: ContinuousClock.Instant
    }

    private struct State {
        var queue: [Waiting] = []
        var inFlight = 0
        var parkedFlusher: CheckedContinuation<Void, Never>?
        var accepting = true
        var statistics = Statistics()
    }

    private let store: TaskStore
    private let configuration: Configuration
    private let state = Mutex(State())

    public init(store: TaskStore, configuration: Configuration = Configuration()) {
        self.store = store
        self.configuration = configuration
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Submissions waiting for a transaction slot.
    public var queued: Int { state.withLock { $0.queue.count } }

    /// Stores the task and returns once its transaction committed (see `TaskStore.submit(_:)`).
    public func submit(_ task: NewTask) async throws(TaskQueueError) -> SubmittedTask {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<SubmittedTask, TaskQueueError>, Never>) in
            let (accepted, flusher) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard state.accepting else { return (false, nil) }
                state.queue.append(Waiting(task: task, continuation: continuation, deadline: .now + store.operationTimeout))
                defer { state.parkedFlusher = nil }
                return (true, state.parkedFlusher)
            }
            guard accepted else {
                continuation.resume(returning: .failure(TaskQueueError(.unavailable, "The API is shutting down.")))
                return
            }
            flusher?.resume()
        }
        return try result.get()
    }

    public func run() async {
        await withDiscardingTaskGroup { group in
            await withTaskCancellationHandler {
                await withGracefulShutdownHandler {
                    while let batch = await nextBatch() {
                        group.addTask { await self.commit(batch) }
                    }
                } onGracefulShutdown: {
                    self.stopAccepting()
                }
            } onCancel: {
                self.stopAccepting()
            }
        }
    }

    /// Shutdown: refuse new submissions, commit what is queued, then let `run()` return.
    private func stopAccepting() {
        let flusher = state.withLock { state in
            state.accepting = false
            defer { state.parkedFlusher = nil }
            return state.parkedFlusher
        }
        flusher?.resume()
    }

    /// Waits until submissions are queued and a transaction slot is free, then takes a batch. Nil once
    /// shutdown has begun and nothing is left to commit.
    private func nextBatch() async -> [Waiting]? {
        while true {
            let (step, expired) = state.withLock { state -> (Step, [Waiting]) in
                let now = ContinuousClock.now
                let expired = state.queue.filter { $0.deadline <= now }
                if !expired.isEmpty { state.queue.removeAll { $0.deadline <= now } }
                return (Self.step(&state, configuration: configuration), expired)
            }
            for waiting in expired {
                waiting.continuation.resume(returning: .failure(
                    TaskQueueError(.unavailable, "The database did not answer within \(store.operationTimeout).")
                ))
            }
            switch step {
            case .take(let batch): return batch
            case .finished: return nil
            case .park:
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    // Re-check under the lock: a submission or a finished batch may have come in meanwhile.
                    let resumeNow = state.withLock { state -> Bool in
                        let ready = (!state.queue.isEmpty && state.inFlight < configuration.maxConcurrentBatches)
                            || (!state.accepting && state.queue.isEmpty)
                        if !ready { state.parkedFlusher = continuation }
                        return ready
                    }
                    if resumeNow { continuation.resume() }
                }
            }
        }
    }

    private enum Step { case take([Waiting]), finished, park }

    private static func step(_ state: inout State, configuration: Configuration) -> Step {
        if !state.queue.isEmpty && state.inFlight < configuration.maxConcurrentBatches {
            var count = 0
            var bytes = 0
            for waiting in state.queue {
                let size = waiting.task.circuit.utf8.count
                if count > 0 && (count == configuration.maxBatchSize || bytes + size > configuration.maxBatchBytes) { break }
                count += 1
                bytes += size
            }
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            state.inFlight += 1
            state.statistics.batches += 1
            state.statistics.tasks += count
            state.statistics.largestBatch = max(state.statistics.largestBatch, count)
            return .take(batch)
        }
        if !state.accepting && state.queue.isEmpty { return .finished }
        return .park
    }

    private func commit(_ batch: [Waiting]) async {
        // Bounded by the earliest caller's deadline, so no caller waits longer than the store's timeout in all.
        let earliest = batch.map(\.deadline).min() ?? .now
        let results = await store(batch.map(\.task), within: max(earliest - .now, .milliseconds(100)))
        let flusher = state.withLock { state in
            state.inFlight -= 1
            defer { state.parkedFlusher = nil }
            return state.parkedFlusher
        }
        flusher?.resume()
        for (waiting, result) in zip(batch, results) {
            waiting.continuation.resume(returning: result)
        }
    }

    /// One transaction for the batch. A batch that fails for a reason other than an unreachable database
    /// (say one submission trips a constraint) is retried one submission at a time, so a bad one fails
    /// alone. An unreachable database fails the whole batch: its outcome is unknown, and each caller says so.
    private func store(_ tasks: [NewTask], within timeout: Duration) async -> [Result<SubmittedTask, TaskQueueError>] {
        var store = self.store
        store.operationTimeout = timeout
        do {
            return try await store.submit(tasks).map { .success($0) }
        } catch {
            guard tasks.count > 1, error.kind != .unavailable else {
                return tasks.map { _ in .failure(error) }
            }
            state.withLock { $0.statistics.splitBatches += 1 }
            var results: [Result<SubmittedTask, TaskQueueError>] = []
            for task in tasks {
                do {
                    results.append(.success(try await store.submit([task])[0]))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }
}
