import Foundation
import Synchronization
import TaskQueue

/// A finished attempt waiting to be committed.
struct ReportedOutcome: Sendable {
    var task: ClaimedTask
    var outcome: TaskOutcome
    var elapsed: Duration
}

/// Outcomes from the slot threads, taken by the committer in batches: while one batch commits, the next
/// gathers, so a result waits at most about one commit before its own.
final class OutcomeBuffer: Sendable {
    private struct State {
        var outcomes: [ReportedOutcome] = []
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
    }

    private let state = Mutex(State())

    /// Called from slot threads.
    func add(_ outcome: ReportedOutcome) {
        let waiter = state.withLock { state in
            state.outcomes.append(outcome)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// No more outcomes will come; `next` returns nil once the rest is taken.
    func close() {
        let waiter = state.withLock { state in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Up to `limit` outcomes, waiting for at least one; nil when closed and empty. One consumer only.
    func next(limit: Int) async -> [ReportedOutcome]? {
        while true {
            let (batch, closed) = state.withLock { state -> ([ReportedOutcome], Bool) in
                let count = min(limit, state.outcomes.count)
                let batch = Array(state.outcomes.prefix(count))
                state.outcomes.removeFirst(count)
                return (batch, state.closed)
            }
            if !batch.isEmpty { return batch }
            if closed { return nil }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.outcomes.isEmpty && !state.closed {
                        state.waiter = continuation
                        return false
                    }
                    return true
                }
                if ready { continuation.resume() }
            }
        }
    }
}
