import Foundation

/// One row of `tasks` as the API shows it. Timestamps are already formatted by PostgreSQL as
/// ISO 8601 UTC with microseconds and `Z` (e.g. `2026-11-27T03:41:56.123456Z`), so no precision is lost.
public struct TaskRecord: Sendable, Hashable {
    public var id: UUID
    public var status: TaskStatus
    public var shots: Int
    public var seed: UInt64?
    /// The precision it is (or was) simulated in.
    public var precision: TaskPrecision = .double
    public var submittedAt: String
    public var startedAt: String?
    public var completedAt: String?
    /// completed_at - started_at of the last attempt, in seconds.
    public var durationSeconds: Double?
    public var result: TaskResult?
    public var failure: TaskFailure?
    public var correlationID: String?
    public var attempts: Int
    public var maxAttempts: Int
    public var lockedBy: String?
    /// While pending: 1 + how many pending tasks were submitted before it (the claim order).
    public var queuePosition: Int?
    /// A cancellation was asked for while the task was processing; its worker will stop it.
    public var cancelRequested: Bool = false
    public var history: [StatusHistoryEntry]
}

/// One row of `status_history`.
public struct StatusHistoryEntry: Sendable, Hashable {
    public var status: TaskStatus
    public var transitionedAt: String
    public var notes: String?
    public var workerID: String?
}

/// The answer to a successful submission.
public struct SubmittedTask: Sendable, Hashable {
    public var id: UUID
    public var submittedAt: String
    /// What an idempotency key found: a new task, the same submission stored earlier, or a different one.
    public var outcome: SubmissionOutcome = .created

    public init(id: UUID, submittedAt: String, outcome: SubmissionOutcome = .created) {
        self.id = id
        self.submittedAt = submittedAt
        self.outcome = outcome
    }
}

public enum SubmissionOutcome: Sendable, Hashable {
    /// Stored now.
    case created
    /// The key was used before for the same circuit, shots and seed: this is that task.
    case replayed
    /// The key was used before for a different submission: nothing stored.
    case conflict
}

/// A task a worker has claimed and now holds the lease on.
public struct ClaimedTask: Sendable, Hashable {
    public var id: UUID
    public var circuit: String
    public var shots: Int
    public var seed: UInt64?
    public var correlationID: String?
    /// Which attempt this is (1-based); completion is guarded by it so a stale holder can't complete.
    public var attempt: Int
    /// How long it waited in the queue, from submission to this claim (metrics).
    public var queueWait: Duration = .zero
    /// The precision to simulate it in.
    public var precision: TaskPrecision = .double

    /// The claim this worker holds: the same task claimed again later is a different claim.
    public var key: ClaimKey { ClaimKey(id: id, attempt: attempt) }
}

/// One attempt of one task: what leases, completions and a worker's bookkeeping are keyed by.
public struct ClaimKey: Sendable, Hashable, CustomStringConvertible {
    public var id: UUID
    public var attempt: Int

    public init(id: UUID, attempt: Int) {
        self.id = id
        self.attempt = attempt
    }

    public var description: String { "\(id.lowercasedString)#\(attempt)" }
}

/// How an attempt ended, as a worker reports it.
public enum AttemptOutcome: Sendable, Hashable {
    case completed(TaskResult)
    case failed(TaskFailure)
    /// Stopped because a user cancelled the task: it ends `cancelled`.
    case cancelled
    /// Not run to the end through no fault of the task (shutdown): back to the queue, the attempt not counted.
    case released(notes: String)
}

/// One attempt's outcome for `TaskStore.finish(_:workerID:)`.
public struct FinishedAttempt: Sendable, Hashable {
    public var key: ClaimKey
    public var outcome: AttemptOutcome

    public init(key: ClaimKey, outcome: AttemptOutcome) {
        self.key = key
        self.outcome = outcome
    }
}

/// Tasks per status, for `qtq stats` and metrics.
public struct QueueStats: Sendable, Hashable, Codable {
    public var pending: Int = 0
    public var processing: Int = 0
    public var completed: Int = 0
    public var failed: Int = 0
    public var cancelled: Int = 0

    public init() {}
}

/// What a lease renewal found.
public struct LeaseRenewal: Sendable, Hashable {
    /// Attempts still held, their leases extended.
    public var kept: Set<ClaimKey> = []
    /// Of those, the ones a user asked to cancel.
    public var cancelRequested: Set<ClaimKey> = []

    public init() {}
}

/// The live part of the queue, for metrics.
public struct QueueGauges: Sendable, Hashable {
    public var pending = 0
    public var processing = 0
    /// 0 when nothing is pending.
    public var oldestPendingAgeSeconds = 0.0

    public init(pending: Int = 0, processing: Int = 0, oldestPendingAgeSeconds: Double = 0) {
        self.pending = pending
        self.processing = processing
        self.oldestPendingAgeSeconds = oldestPendingAgeSeconds
    }
}
