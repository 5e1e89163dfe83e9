import Synchronization

/// What the worker knows about its link to PostgreSQL: when it last failed. After an outage every live worker
/// needs a moment to renew its leases; sweeping before that would take live workers' tasks away from them.
final class DatabaseContact: Sendable {
    private let lastFailure = Mutex<ContinuousClock.Instant?>(nil)
    private let abandoning = Atomic<Bool>(false)

    func failed() {
        lastFailure.withLock { $0 = .now }
    }

    /// True when no database operation failed within `period`.
    func steady(for period: Duration) -> Bool {
        lastFailure.withLock { $0.map { ContinuousClock.now - $0 >= period } ?? true }
    }

    /// Shutdown past its grace period: stop retrying outcomes the database cannot take.
    func abandonRetries() { abandoning.store(true, ordering: .relaxed) }
    var isAbandoningRetries: Bool { abandoning.load(ordering: .relaxed) }
}
