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
        #expect(configuration.compileOptions.maxQubits == configuration.simulator.largestStateQubits)
        #expect(WorkerConfiguration.qubitsFitting(bytes: 1 << 30) == 26)
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
