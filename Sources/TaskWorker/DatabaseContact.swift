import Synchronization

/// What the worker knows about its link to PostgreSQL: when it last failed, and for how long it had been failing.
/// After an outage every live worker needs a moment to renew its leases, and a worker's connection pool backs off
/// between attempts (by up to about a quarter of the time it has been failing), so one worker may be back long
/// before another. Sweeping before the others are back would take live workers' tasks away from them.
final class DatabaseContact: Sendable {
    private struct State {
        var streakStart: ContinuousClock.Instant?
        var lastFailure: ContinuousClock.Instant?
        var lastStreak: Duration = .zero
    }

    private let state = Mutex(State())
    private let abandoning = Atomic<Bool>(false)

    func failed() {
        state.withLock { state in
            let now = ContinuousClock.now
            if state.streakStart == nil { state.streakStart = now }
            state.lastFailure = now
            state.lastStreak = now - (state.streakStart ?? now)
        }
    }

    /// A call that succeeded after `duration`. The pool waits for a connection while the server is down, so an
    /// outage shorter than the call's deadline shows up only as a slow answer: one slower than a second counts as
    /// an outage of that length that just ended.
    func succeeded(after duration: Duration) {
        state.withLock { state in
            if duration > .seconds(1) {
                let now = ContinuousClock.now
                state.lastFailure = now
                state.lastStreak = max(duration, now - (state.streakStart ?? now))
            }
            state.streakStart = nil
        }
    }

    /// True when no database operation failed lately: for at least `minimum`, and after a longer outage for half
    /// its length plus a few seconds (at most 75 s, past the pool's longest back-off of 60 s).
    func steady(minimum: Duration) -> Bool {
        state.withLock { state in
            guard let lastFailure = state.lastFailure else { return true }
            let holdOff = max(minimum, min(state.lastStreak / 2 + .seconds(3), .seconds(75)))
            return ContinuousClock.now - lastFailure >= holdOff
        }
    }

    /// Shutdown past its grace period: stop retrying outcomes the database cannot take.
    func abandonRetries() { abandoning.store(true, ordering: .relaxed) }
    var isAbandoningRetries: Bool { abandoning.load(ordering: .relaxed) }
}
