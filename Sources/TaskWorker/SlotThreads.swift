import Foundation
import QASM
import Simulator
import Synchronization
import TaskQueue

/// One long-lived thread per concurrency slot, each with its own `Simulator` (and state buffers): circuits
/// run off the async runtime, so long simulations never delay lease renewal or database work, and a short
/// task costs no thread start.
final class SlotThreads: Sendable {
    private let queue: RunQueue
    private let running: RunningTasks
    private let outcomes: OutcomeBuffer
    private let compileOptions: CompileOptions
    private let simulatorConfiguration: SimulatorConfiguration
    /// One state-memory budget for the process, shared by every slot's simulator.
    private let memoryBudget: MemoryBudget
    /// Circuits seen to run to the end, for the claimer's inline runs (nil: inline running is off).
    private let proven: ProvenCircuits?
    /// Called after each task, so the claimer can top the queue up.
    private let taskFinished: @Sendable () -> Void
    private let metrics: WorkerMetrics
    /// Smoothed run time of recent tasks in nanoseconds: how much to claim ahead.
    private let averageRunNanoseconds = Atomic<Int>(0)
    private let busy = Atomic<Int>(0)

    init(
        queue: RunQueue, running: RunningTasks, outcomes: OutcomeBuffer, compileOptions: CompileOptions,
        simulatorConfiguration: SimulatorConfiguration, metrics: WorkerMetrics = .disabled, proven: ProvenCircuits? = nil,
        taskFinished: @escaping @Sendable () -> Void
    ) {
        self.proven = proven
        self.metrics = metrics
        self.queue = queue
        self.running = running
        self.outcomes = outcomes
        self.compileOptions = compileOptions
        self.simulatorConfiguration = simulatorConfiguration
        memoryBudget = MemoryBudget(bytes: simulatorConfiguration.memoryBudgetBytes)
        self.taskFinished = taskFinished
    }

    /// The smoothed run time, or nil before the first task finished.
    var averageRunTime: Duration? {
        let nanoseconds = averageRunNanoseconds.load(ordering: .relaxed)
        return nanoseconds == 0 ? nil : .nanoseconds(nanoseconds)
    }

    /// Threads running a task right now.
    var busyThreads: Int { busy.load(ordering: .relaxed) }

    func start(count: Int) {
        for index in 0..<count {
            let thread = Thread { [self] in serve() }
            thread.name = "qtq-slot-\(index)"
            thread.start()
        }
    }

    private func serve() {
        let simulator = Simulator(configuration: simulatorConfiguration, memoryBudget: memoryBudget)
        while let task = queue.next() {
            metrics.busySlots.record(busy.add(1, ordering: .relaxed).newValue)
            let cancellation = running.entry(task.key)?.cancellation
            let started = ContinuousClock.now
            var outcome: TaskOutcome
            if cancellation?.isSet ?? true {
                // Lease lost, shutdown past its grace period, or cancelled, before the task started.
                outcome = .interrupted
            } else {
                outcome = CircuitExecutor.run(
                    task.circuit, shots: task.shots, seed: task.seed, precision: task.precision, compileOptions: compileOptions,
                    simulator: simulator, cancellation: cancellation
                )
            }
            if outcome == .interrupted, cancellation?.isUserCancellation == true { outcome = .cancelled }
            let elapsed = ContinuousClock.now - started
            proven?.record(task, outcome: outcome, elapsed: elapsed)
            record(elapsed)
            metrics.runTime.recordNanoseconds(elapsed.nanoseconds)
            outcomes.add(ReportedOutcome(task: task, outcome: outcome, elapsed: elapsed))
            metrics.busySlots.record(busy.subtract(1, ordering: .relaxed).newValue)
            taskFinished()
        }
    }

    /// Adds a task's run time to the average (also for tasks run inline by the claimer).
    func record(_ elapsed: Duration) {
        let sample = max(1, Int(elapsed / .nanoseconds(1)))
        let previous = averageRunNanoseconds.load(ordering: .relaxed)
        // Only this slot's thread and its peers write; a lost update between them only delays the average.
        averageRunNanoseconds.store(previous == 0 ? sample : (previous * 7 + sample) / 8, ordering: .relaxed)
    }
}
