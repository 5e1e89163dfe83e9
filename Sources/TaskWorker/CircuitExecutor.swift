import Foundation
import QASM
import Simulator
import Synchronization
import TaskQueue

/// Compiles and simulates one circuit, synchronously: the worker's slot threads (`SlotThreads`, one `Simulator`
/// each, all sharing the process's `MemoryBudget`) and `qtq run` call it.
public enum CircuitExecutor {
    /// The synchronous path, also used by `qtq run`.
    public static func run(
        _ source: String,
        shots: Int,
        seed: UInt64?,
        precision: TaskPrecision = .double,
        compileOptions: CompileOptions,
        simulator: Simulator,
        cancellation: CancellationFlag? = nil
    ) -> TaskOutcome {
        var compileOptions = compileOptions
        // Compiling counts against the task's time limit and stops on shutdown, like simulating.
        compileOptions.stop = CompileStopCondition(
            deadline: simulator.configuration.timeLimit.map { ContinuousClock.now.advanced(by: $0) },
            isCancelled: cancellation.map { flag -> @Sendable () -> Bool in { flag.isSet } }
        )
        let circuit: Circuit
        do {
            circuit = try QASMCompiler.compile(source, options: compileOptions)
        } catch {
            let diagnostic = error.first
            if diagnostic.kind == .cancelled { return .interrupted }
            return .failed(TaskFailure(
                type: diagnostic.kind.rawValue,
                message: "Line \(diagnostic.line), column \(diagnostic.column): \(diagnostic.message)",
                line: diagnostic.line,
                column: diagnostic.column
            ))
        }
        var isCancelled: (@Sendable () -> Bool)?
        if let cancellation {
            isCancelled = { cancellation.isSet }
        }
        // Seeds we draw stay below 2^53 so every JSON client reads the stored seed back exactly.
        let seed = seed ?? UInt64.random(in: 0..<(1 << 53))
        do {
            let options = RunOptions(shots: shots, seed: seed, precision: Precision(precision), isCancelled: isCancelled)
            let result = try simulator.run(circuit, options: options)
            return .completed(TaskResult(
                counts: result.counts, shots: result.shots, success: true, seed: result.seed,
                precision: TaskPrecision(result.precision)
            ))
        } catch .cancelled {
            return .interrupted
        } catch {
            return .failed(TaskFailure(type: Self.failureType(error), message: error.description))
        }
    }

    static func failureType(_ error: SimulationError) -> String {
        switch error {
        case .stateTooLarge, .resultTooLarge: "resource_limit"
        case .timeLimitExceeded: "time_limit"
        case .loopLimitExceeded: "loop_limit"
        case .classicalEvaluation: "runtime_error"
        case .cancelled: "cancelled"
        case .invalidCircuit: "invalid_circuit"
        }
    }
}

extension Precision {
    init(_ precision: TaskPrecision) {
        self = precision == .single ? .single : .double
    }
}

extension TaskPrecision {
    init(_ precision: Precision) {
        self = precision == .single ? .single : .double
    }
}

/// Set to stop a running simulation: by the worker (lease lost, shutdown: the task goes back to the queue) or
/// because a user cancelled the task (it ends cancelled). A user's cancellation wins over an interruption.
public final class CancellationFlag: Sendable {
    private static let interrupted: UInt8 = 1
    private static let cancelledByUser: UInt8 = 2
    private let state = Atomic<UInt8>(0)
    public init() {}
    public var isSet: Bool { state.load(ordering: .relaxed) != 0 }
    /// Whether the stop is a user's cancellation rather than the worker's interruption.
    public var isUserCancellation: Bool { state.load(ordering: .relaxed) == Self.cancelledByUser }
    /// The worker interrupts the run.
    public func set() { _ = state.compareExchange(expected: 0, desired: Self.interrupted, ordering: .relaxed) }
    /// A user cancelled the task.
    public func cancelByUser() { state.store(Self.cancelledByUser, ordering: .relaxed) }
}
