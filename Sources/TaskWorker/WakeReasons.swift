import Synchronization

/// Why the claim loop was woken since it last looked, so that it can skip a claim that cannot find anything new.
///
/// The API sends its `qtq_tasks` notification after the batch it announces has committed. A notification that
/// arrived before this worker sent its last claim therefore announced tasks that claim could already see: it took
/// them, or another worker holds them, or (when it took as many as it asked for) it claims again anyway. Such a
/// notification often arrives while that claim runs, and used to cost one more claim that found nothing.
final class WakeReasons: Sendable {
    private struct State {
        var lastNotification: ContinuousClock.Instant?
        var other = false
        /// When the last claim was sent: a notification received before it announced nothing that claim missed.
        var lastClaimSent: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    /// A `qtq_tasks` notification arrived (now).
    func notified() {
        let now = ContinuousClock.now
        state.withLock { $0.lastNotification = now }
    }

    /// Anything else that should cause a claim: the fallback poll, a slot asking for more, shutdown.
    func other() {
        state.withLock { $0.other = true }
    }

    /// A claim is being sent (now, or at `instant`).
    func claimSent(at instant: ContinuousClock.Instant = .now) {
        state.withLock { $0.lastClaimSent = instant }
    }

    /// Takes the reasons gathered since the last call: true when a claim may find tasks that the last claim sent
    /// could not have seen.
    func takeClaimIsWorthwhile() -> Bool {
        state.withLock { state in
            defer { (state.lastNotification, state.other) = (nil, false) }
            if state.other { return true }
            guard let notification = state.lastNotification else { return false }
            guard let lastClaimSent = state.lastClaimSent else { return true }
            return notification >= lastClaimSent
        }
    }
}
