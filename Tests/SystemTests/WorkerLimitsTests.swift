import QASM
import Simulator
import TaskQueue
import TaskWorker
import Testing

/// Limits a worker applies by default, through the executor's synchronous path (no database needed).
@Suite struct WorkerLimitsTests {
    @Test func tasksHaveADefaultTimeLimit() {
        #expect(WorkerConfiguration().simulator.timeLimit == .seconds(600))
    }

    @Test func compilingCountsAgainstTheTimeLimit() {
        // 400,000 operations after unrolling: the limit stops the compiler itself, at a line of the program.
        let source = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nfor int i in [0:199999] { x q[0]; cx q[0], q[1]; }\n"
        var configuration = WorkerConfiguration()
        configuration.simulator.timeLimit = .zero
        let outcome = CircuitExecutor.run(
            source, shots: 1, seed: 1, compileOptions: configuration.compileOptions,
            simulator: Simulator(configuration: configuration.simulator)
        )
        guard case .failed(let failure) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(failure.type == "time_limit")
        #expect(failure.line == 4)
    }

    @Test func theQubitLimitFollowsTheProcessBudget() {
        let configuration = WorkerConfiguration()
        #expect(configuration.compileOptions.maxQubits == configuration.simulator.largestStateQubits(precision: .single))
        #expect(configuration.compileOptions.maxQubits == configuration.simulator.largestStateQubits + 1)
        // 1 GiB: 2^26 amplitudes of complex128, 2^27 of complex64.
        #expect(WorkerConfiguration.qubitsFitting(bytes: 1 << 30) == 27)
    }

    @Test func singlePrecisionRunsOneQubitMoreThanDoubleInTheSameBudget() throws {
        var configuration = WorkerConfiguration()
        configuration.simulator.memoryBudgetBytes = 16 << 12  // a 12-qubit complex128 state, or 13 qubits of complex64
        configuration.compileOptions.maxQubits = WorkerConfiguration.qubitsFitting(bytes: configuration.simulator.memoryBudgetBytes)
        #expect(configuration.compileOptions.maxQubits == 13)
        let source = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[13] q;\nbit[13] c;\nh q[0];\ncx q[0], q[12];\nc = measure q;\n"
        let simulator = Simulator(configuration: configuration.simulator)
        let single = CircuitExecutor.run(
            source, shots: 1000, seed: 3, precision: .single, compileOptions: configuration.compileOptions, simulator: simulator
        )
        guard case .completed(let result) = single else {
            Issue.record("expected a result, got \(single)")
            return
        }
        #expect(result.precision == .single)
        #expect(result.counts.keys.sorted() == ["0000000000000", "1000000000001"])
        #expect(result.jsonText.contains("\"precision\":\"single\""))
        let double = CircuitExecutor.run(
            source, shots: 1000, seed: 3, precision: .double, compileOptions: configuration.compileOptions, simulator: simulator
        )
        guard case .failed(let failure) = double else {
            Issue.record("expected a resource limit, got \(double)")
            return
        }
        #expect(failure.type == "resource_limit")
    }

    @Test func fourFullWidthRegistersFailFastWithALimitError() {
        var source = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[16] q;\n"
        source += "bit[4096] a;\nbit[4096] b;\nbit[4096] c;\nbit[4096] d;\nh q;\n"
        source += "for int i in [0:15] { a[i] = measure q[i]; b[i] = measure q[i]; c[i] = measure q[i]; d[i] = measure q[i]; }\n"
        let configuration = WorkerConfiguration()
        let outcome = CircuitExecutor.run(
            source, shots: 100_000, seed: 1, compileOptions: configuration.compileOptions,
            simulator: Simulator(configuration: configuration.simulator)
        )
        guard case .failed(let failure) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(failure.type == "limit")
        #expect(failure.line == 5 && failure.column == 1)
        #expect(failure.message.contains("classical bits"))
    }

    @Test func anOversizedResultIsAResourceLimit() {
        let source = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[16] q;\nbit[4096] c;\nh q;\n"
            + "for int i in [0:15] { c[i] = measure q[i]; }\n"
        let configuration = WorkerConfiguration()
        let outcome = CircuitExecutor.run(
            source, shots: 100_000, seed: 1, compileOptions: configuration.compileOptions,
            simulator: Simulator(configuration: configuration.simulator)
        )
        guard case .failed(let failure) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(failure.type == "resource_limit")
        #expect(failure.message.contains("result size limit"))
    }
}
