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
            let result = try simulator.run(circuit, options: RunOptions(shots: shots, seed: seed, isCancelled: isCancelled))
            return .completed(TaskResult(counts: result.counts, shots: result.shots, success: true, seed: result.seed))
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

/// Set once to stop a running simulation.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public var isSet: Bool { flag.load(ordering: .relaxed) }
    public func set() { flag.store(true, ordering: .relaxed) }
}
