import Foundation
import QASM
import Simulator
import Synchronization
import TaskQueue

/// Runs small tasks on the claimer itself, inside the claim's transaction (`TaskStore.claim(...runningInline:)`).
/// A Bell circuit takes tens of microseconds: far less than handing it to a slot thread and committing its
/// outcome in a second transaction. Each task gets `taskLimit`; one that needs more (time or state memory) is
/// left to the slot threads, which run it again from the start under the full limits. Inline running stops for
/// the batch once `batchBudget` is spent, so the claimer never holds its row locks (or its thread) for long.
///
/// Only circuits this process has already run to the end (`ProvenCircuits`) run inline. A circuit that crashed
/// the process inline would roll its claim back, attempt uncounted, and crash every worker that claimed it
/// next, forever; on a slot thread its attempts are committed first, so it fails after `max_attempts` instead.
final class InlineRunner: Sendable {
    /// Circuits seen to finish on this worker; the slot threads add to it.
    let proven: ProvenCircuits
    private let compileOptions: CompileOptions
    private let taskLimit: Duration
    private let batchBudget: Duration
    /// Used by one claim at a time (the claimer runs claims one after another).
    private let simulator: Mutex<Simulator>

    init(compileOptions: CompileOptions, simulator configuration: SimulatorConfiguration, taskLimit: Duration, batchBudget: Duration) {
        self.compileOptions = compileOptions
        self.batchBudget = batchBudget
        var inline = configuration
        let limit = min(taskLimit, configuration.timeLimit ?? taskLimit)
        self.taskLimit = limit
        proven = ProvenCircuits(runLimit: limit)
        inline.timeLimit = limit
        inline.threads = 1
        // A state this size takes longer than the limit to simulate anyway; its own budget keeps the slots' intact.
        inline.memoryBudgetBytes = min(configuration.memoryBudgetBytes, Self.stateBytes)
        inline.retainedBufferBytes = min(configuration.retainedBufferBytes, Self.stateBytes)
        simulator = Mutex(Simulator(configuration: inline))
    }

    /// 16 MiB: 20 qubits in complex128, 21 in complex64.
    static let stateBytes = 16 << 20

    /// Runs what fits and returns the outcomes of the tasks that finished here; tasks missing from the answer are
    /// the slots' to run.
    func run(_ tasks: [ClaimedTask]) -> [ReportedOutcome] {
        let start = ContinuousClock.now
        var finished: [ReportedOutcome] = []
        for task in tasks where proven.contains(task) {
            guard ContinuousClock.now - start < batchBudget else { break }
            let started = ContinuousClock.now
            let outcome = simulator.withLock { simulator in
                CircuitExecutor.run(
                    task.circuit, shots: task.shots, seed: task.seed, precision: task.precision, compileOptions: compileOptions,
                    simulator: simulator
                )
            }
            guard Self.isFinal(outcome) else {
                proven.markTooBig(task)
                continue
            }
            finished.append(ReportedOutcome(task: task, outcome: outcome, elapsed: ContinuousClock.now - started))
        }
        return finished
    }

    /// Whether the outcome stands, or only shows the task is too big to run here.
    static func isFinal(_ outcome: TaskOutcome) -> Bool {
        switch outcome {
        case .completed: true
        case .failed(let failure): !["time_limit", "resource_limit"].contains(failure.type)
        case .interrupted, .cancelled: false
        }
    }
}

/// Circuits (source, shots and precision) that ran to the end in this process, completed or failed with a final error, and
/// whether they did so quickly enough to run inline: safe to run where a crash would not count an attempt.
/// Bounded: only sources up to `maxSourceBytes`, at most `capacity` of them, the oldest forgotten first.
final class ProvenCircuits: Sendable {
    struct Key: Hashable {
        var source: String
        var shots: Int
        var precision: TaskPrecision
    }

    private struct State {
        /// true: fits the inline limits.
        var fits: [Key: Bool] = [:]
        var order: [Key] = []
        var next = 0
    }

    static let maxSourceBytes = 8 << 10
    let capacity: Int
    /// A slot run longer than this does not fit inline.
    let runLimit: Duration
    private let state = Mutex(State())

    init(runLimit: Duration, capacity: Int = 1024) {
        self.runLimit = runLimit
        self.capacity = max(1, capacity)
    }

    /// Whether `task`'s circuit ran to the end here before, within the inline limits.
    func contains(_ task: ClaimedTask) -> Bool {
        guard let key = Self.key(task) else { return false }
        return state.withLock { $0.fits[key] } == true
    }

    /// Called after a slot thread's run; only final outcomes prove anything. A fast run wins over an earlier slow one
    /// (a first run on a cold worker, or on a busy machine, can take far longer than the circuit needs).
    func record(_ task: ClaimedTask, outcome: TaskOutcome, elapsed: Duration) {
        guard InlineRunner.isFinal(outcome), let key = Self.key(task) else { return }
        let fits = elapsed <= runLimit
        state.withLock { state in
            if let known = state.fits[key] {
                if fits && !known { state.fits[key] = true }
                return
            }
            state.fits[key] = fits
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.fits[state.order[state.next]] = nil
                state.order[state.next] = key
                state.next = (state.next + 1) % capacity
            }
        }
    }

    /// An inline run hit the limits: leave this circuit to the slots from now on.
    func markTooBig(_ task: ClaimedTask) {
        guard let key = Self.key(task) else { return }
        state.withLock { state in
            if state.fits[key] != nil { state.fits[key] = false }
        }
    }

    private static func key(_ task: ClaimedTask) -> Key? {
        guard task.circuit.utf8.count <= maxSourceBytes else { return nil }
        return Key(source: task.circuit, shots: task.shots, precision: task.precision)
    }
}
