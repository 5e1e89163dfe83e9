import CoreMetrics

/// What a worker counts, through swift-metrics (`qtq work` exposes them on `/metrics` when `QTQ_METRICS_PORT` is
/// set). Made once per process from a factory the caller owns: no global metrics system.
public struct WorkerMetrics: Sendable {
    let claimed: Counter
    /// Claim statements that got tasks, and those that found none (another worker was quicker).
    let claimsWithTasks: Counter
    let emptyClaims: Counter
    /// Claims of an attempt after the first (the previous one crashed or its lease expired).
    let retries: Counter
    let completed: Counter
    let failed: Counter
    let cancelled: Counter
    let released: Counter
    /// Attempts this worker was running when it found its lease gone (requeued by a sweeper).
    let leasesLost: Counter
    /// Other workers' expired leases this worker's sweeps took back.
    let expiredRequeued: Counter
    let expiredFailed: Counter
    let runTime: Timer
    let queueWait: Timer
    let busySlots: Gauge

    public init(factory: any MetricsFactory) {
        func finished(_ outcome: String) -> Counter {
            Counter(label: "qtq_worker_tasks_finished_total", dimensions: [("outcome", outcome)], factory: factory)
        }
        claimed = Counter(label: "qtq_worker_tasks_claimed_total", factory: factory)
        claimsWithTasks = Counter(label: "qtq_worker_claims_total", dimensions: [("result", "tasks")], factory: factory)
        emptyClaims = Counter(label: "qtq_worker_claims_total", dimensions: [("result", "empty")], factory: factory)
        retries = Counter(label: "qtq_worker_retries_total", factory: factory)
        completed = finished("completed")
        failed = finished("failed")
        cancelled = finished("cancelled")
        released = finished("released")
        leasesLost = Counter(label: "qtq_worker_leases_lost_total", factory: factory)
        expiredRequeued = Counter(label: "qtq_worker_expired_leases_total", dimensions: [("result", "requeued")], factory: factory)
        expiredFailed = Counter(label: "qtq_worker_expired_leases_total", dimensions: [("result", "failed")], factory: factory)
        runTime = Timer(label: "qtq_worker_task_run_seconds", factory: factory)
        queueWait = Timer(label: "qtq_worker_queue_wait_seconds", factory: factory)
        busySlots = Gauge(label: "qtq_worker_busy_slots", factory: factory)
        busySlots.record(0)
    }

    /// Counts nothing.
    public static var disabled: WorkerMetrics { WorkerMetrics(factory: NOOPMetricsHandler.instance) }

    func recordFinished(_ outcome: AttemptOutcomeKind) {
        switch outcome {
        case .completed: completed.increment()
        case .failed: failed.increment()
        case .cancelled: cancelled.increment()
        case .released: released.increment()
        }
    }
}

enum AttemptOutcomeKind {
    case completed, failed, cancelled, released
}

extension TaskOutcome {
    var kind: AttemptOutcomeKind {
        switch self {
        case .completed: .completed
        case .failed: .failed
        case .cancelled: .cancelled
        case .interrupted: .released
        }
    }
}

extension Duration {
    /// Whole nanoseconds, for swift-metrics timers.
    var nanoseconds: Int64 {
        Int64(self / .nanoseconds(1))
    }
}
