import Foundation
import QASM
import Simulator

/// How a worker process behaves; `qtq work` fills it from flags and environment variables.
public struct WorkerConfiguration: Sendable {
    /// Shown in `tasks.locked_by`, `status_history.worker_id` and logs. Unique per process.
    public var workerID: String
    /// Tasks run at the same time; the worker never claims more than it can start.
    public var concurrency: Int
    /// How long a claim stays valid without renewal; a worker that dies loses its tasks to others after this.
    public var lease: Duration
    /// Fallback poll for work missed while the notification channel was down.
    public var pollInterval: Duration = .seconds(1)
    /// After SIGTERM/SIGINT, how long running tasks may take before they are put back in the queue.
    public var shutdownGrace: Duration
    /// No lease is renewed past this long after its claim (well above the default time limit): a task that never
    /// ends, or a worker stuck renewing, cannot hold a slot forever.
    public var maxLeaseAge: Duration = .seconds(3600)
    /// Claim ahead enough short tasks to keep every slot busy for about this long (see `Worker`).
    public var prefetchTime: Duration = .milliseconds(20)
    /// At most this many tasks claimed ahead of the slots.
    public var maxPrefetch = 64
    /// Rows per claim statement and per outcome commit.
    public var maxClaimBatch = 64
    public var maxCommitBatch = 100
    /// Tasks that finish within this long run on the claimer, inside the claim's transaction: one commit per batch
    /// instead of two, and no hand-off to a slot thread (see `InlineRunner`). A task that needs longer is left to
    /// the slots after this much work. nil: every task runs on a slot thread.
    public var inlineRunLimit: Duration? = .milliseconds(2)
    /// At most this much inline running per claimed batch; the rest of the batch goes to the slots.
    public var inlineBatchBudget: Duration = .milliseconds(5)
    /// Finished tasks older than this are deleted (with their history) by one worker at a time; nil keeps them.
    public var retention: Duration? = .seconds(7 * 24 * 3600)
    /// How often a worker tries to clean up.
    public var retentionInterval: Duration = .seconds(60)
    public var compileOptions = CompileOptions()
    public var simulator = SimulatorConfiguration()

    public init(
        workerID: String = WorkerConfiguration.defaultWorkerID(),
        concurrency: Int = SimulatorConfiguration.activeCores,
        lease: Duration = .seconds(30),
        shutdownGrace: Duration = .seconds(20)
    ) {
        self.workerID = workerID
        self.concurrency = max(1, concurrency)
        self.lease = lease
        self.shutdownGrace = shutdownGrace
        compileOptions.maxQubits = Self.qubitsFitting(bytes: simulator.memoryBudgetBytes)
        simulator.timeLimit = Self.defaultTaskTimeLimit
    }

    /// One endless task must not hold a slot (and renew its lease) forever.
    public static let defaultTaskTimeLimit: Duration = .seconds(600)

    /// The most qubits whose state fits in `bytes`: the default qubit limit follows the memory the worker process
    /// may use (one budget shared by all slots). It admits the widest state any precision can hold (complex64, 8
    /// bytes per amplitude): a double-precision task one qubit wider compiles, then fails as a resource limit.
    public static func qubitsFitting(bytes: Int) -> Int {
        SimulatorConfiguration.qubitsFitting(bytes: bytes, precision: .single)
    }

    /// `hostname-pid-random`: unique per process start, also when a restarted container reuses hostname and pid.
    public static func defaultWorkerID() -> String {
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
    }

    /// Renew leases this often: three chances before one expires.
    var leaseRenewalInterval: Duration { lease / 3 }

    /// A lease must have expired this long before a sweeper takes the task back: a worker that was merely cut
    /// off from the database (and renews its own leases first when it is back) keeps its tasks.
    var sweepGrace: Duration { lease / 2 }

    /// After this worker saw the database fail, it sweeps no lease until the database answered for at least this
    /// long (longer after a long outage, see `DatabaseContact`): every other live worker must have renewed first.
    var sweepHoldOff: Duration { max(lease, .seconds(5)) }
}
