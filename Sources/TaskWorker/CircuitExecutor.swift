import Foundation
import QASM
import Simulator
import Synchronization
import TaskQueue

/// Compiles and simulates circuits on dedicated threads, so long simulations never block the
/// async runtime that keeps leases and database connections alive. Simulators (and their state
/// buffers) are reused across tasks: one per concurrency slot, all sharing one memory budget, so the
/// slots together never hold more state memory than the process may use.
public final class CircuitExecutor: Sendable {
    private let compileOptions: CompileOptions
    private let simulatorConfiguration: SimulatorConfiguration
    private let memoryBudget: MemoryBudget
    private let idleSimulators = Mutex<[SimulatorHandle]>([])

    public init(compileOptions: CompileOptions, simulatorConfiguration: SimulatorConfiguration) {
        self.compileOptions = compileOptions
        self.simulatorConfiguration = simulatorConfiguration
        memoryBudget = MemoryBudget(bytes: simulatorConfiguration.memoryBudgetBytes)
    }

    /// Runs the circuit; `cancellation` interrupts it between gates (shutdown past the grace period).
    public func execute(circuit source: String, shots: Int, seed: UInt64?, cancellation: CancellationFlag) async -> TaskOutcome {
        let handle = idleSimulators.withLock { $0.popLast() }
            ?? SimulatorHandle(Simulator(configuration: simulatorConfiguration, memoryBudget: memoryBudget))
        defer { idleSimulators.withLock { $0.append(handle) } }
        let compileOptions = self.compileOptions
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Self.run(
                    source, shots: shots, seed: seed, compileOptions: compileOptions,
                    simulator: handle.simulator, cancellation: cancellation
                ))
            }
        }
    }

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

/// A `Simulator` owns mutable buffers and is not Sendable; a handle is only ever used by the one
/// thread that took it out of the idle list, which is what makes the unchecked conformance sound.
final class SimulatorHandle: @unchecked Sendable {
    let simulator: Simulator
    init(_ simulator: Simulator) { self.simulator = simulator }
}

/// Set once to stop a running simulation.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public var isSet: Bool { flag.load(ordering: .relaxed) }
    public func set() { flag.store(true, ordering: .relaxed) }
}
