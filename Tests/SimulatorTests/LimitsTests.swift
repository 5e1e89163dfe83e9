import QASM
import Testing
@testable import Simulator

@Suite struct LimitsTests {
    @Test func tooLargeStateIsRefusedBeforeAllocating() {
        var configuration = SimulatorConfiguration()
        configuration.memoryBudgetBytes = 1 << 20
        let circuit = Gates.circuit(qubits: 20, bits: 0, [Gates.h(0)])
        #expect(throws: SimulationError.stateTooLarge(qubits: 20, bytes: 16 << 20, budgetBytes: 1 << 20)) {
            try Simulator(configuration: configuration).run(circuit, options: RunOptions(shots: 1))
        }
        let message = SimulationError.stateTooLarge(qubits: 20, bytes: 16 << 20, budgetBytes: 1 << 20).description
        #expect(message.contains("20-qubit") && message.contains("16.0 MiB") && message.contains("1.0 MiB"))
    }

    @Test func timeLimitStopsTheRun() {
        var configuration = SimulatorConfiguration()
        configuration.timeLimit = .zero
        #expect(throws: SimulationError.timeLimitExceeded(seconds: 0)) {
            try Simulator(configuration: configuration).run(Gates.bell(), options: RunOptions(shots: 1))
        }
    }

    @Test func cancellationStopsTheRun() {
        let options = RunOptions(shots: 10, seed: 1, isCancelled: { true })
        #expect(throws: SimulationError.cancelled) {
            try Simulator().run(Gates.bell(), options: options)
        }
    }

    @Test func identicalSeedsGiveIdenticalCountsWhateverTheThreads() throws {
        let circuit = DynamicTests.teleport(theta: 1.7)
        var results: [[String: Int]] = []
        for threads in [1, 2, 4] {
            let simulator = Simulator(configuration: SimulatorConfiguration(threads: threads))
            results.append(try simulator.run(circuit, options: RunOptions(shots: 3000, seed: 123)).counts)
            results.append(try simulator.run(circuit, options: RunOptions(shots: 3000, seed: 123)).counts)
        }
        #expect(Set(results).count == 1)
        let other = try Simulator().run(circuit, options: RunOptions(shots: 3000, seed: 124)).counts
        #expect(other != results[0])
    }

    @Test func randomSeedIsReported() throws {
        let simulator = Simulator()
        let first = try simulator.run(Gates.bell(), options: RunOptions(shots: 100))
        let again = try simulator.run(Gates.bell(), options: RunOptions(shots: 100, seed: first.seed))
        #expect(again.counts == first.counts)
    }

    @Test func invalidIndicesAreReported() {
        let circuit = Gates.circuit(qubits: 1, bits: 1, [Gates.measure(3, 0)])
        #expect(throws: SimulationError.self) { try Simulator().run(circuit, options: RunOptions(shots: 1)) }
    }
}
