import QASM
import Testing
@testable import Simulator

/// `SmallTerminalRun` stands in for the general executor on small terminal-measurement programs: for every seed it
/// must give the same counts, statistics and errors.
@Suite struct SmallTerminalRunTests {
    static func simulators(_ configuration: SimulatorConfiguration = SimulatorConfiguration(threads: 1)) -> (fast: Simulator, general: Simulator) {
        (Simulator(configuration: configuration), Simulator(configuration: configuration, smallStateRuns: false))
    }

    /// Random gates (dense, diagonal, monomial, controlled) on 0–6 qubits, then measurements into two registers:
    /// some bits never written, some written twice, some qubits never measured, or no bits at all (every qubit
    /// measured implicitly).
    static func circuit(qubits: Int, trial: Int, random: inout RandomCircuits) -> Circuit {
        var circuit = qubits == 0
            ? Circuit(qubitCount: 0, bitCount: 0, registers: [], instructions: [])
            : random.circuit(qubits: qubits, gates: 1 + 4 * trial, maxTargets: min(3, qubits))
        let bits = random.int(0..<(qubits + 3))
        guard bits > 0 else { return circuit }
        let split = random.int(0..<(bits + 1))
        circuit.bitCount = bits
        circuit.registers = [
            ClassicalRegister(name: "a", offset: 0, size: split), ClassicalRegister(name: "b", offset: split, size: bits - split),
        ].filter { $0.size > 0 }
        for _ in 0..<(qubits == 0 ? 0 : random.int(0..<(bits + 2))) {
            circuit.instructions.append(.measure(qubit: random.int(0..<qubits), bit: random.int(0..<bits)))
        }
        return circuit
    }

    @Test(arguments: Precision.allCases)
    func countsAndStatisticsMatchTheGeneralExecutor(precision: Precision) throws {
        let (fast, general) = Self.simulators()
        var random = RandomCircuits(seed: 2026)
        var runs = 0
        for qubits in 0...SmallTerminalRun.maxQubits {
            for trial in 0..<8 {
                let circuit = Self.circuit(qubits: qubits, trial: trial, random: &random)
                let options = RunOptions(shots: [1, 1000, 4096, 0][trial % 4], seed: UInt64(100 * qubits + trial), precision: precision)
                let expected = try general.run(circuit, options: options)
                let actual = try fast.run(circuit, options: options)
                #expect(actual.counts == expected.counts, "\(qubits) qubits, trial \(trial)")
                var (actualStatistics, expectedStatistics) = (actual.statistics, expected.statistics)
                actualStatistics.elapsed = .zero
                expectedStatistics.elapsed = .zero
                #expect(actualStatistics == expectedStatistics, "\(qubits) qubits, trial \(trial)")
                runs += options.shots > 0 && !expected.counts.isEmpty ? 1 : 0
            }
        }
        #expect(runs > 30)
    }

    @Test func theResultLimitAndCancellationFailAlike() throws {
        var configuration = SimulatorConfiguration(threads: 1)
        configuration.maxResultBytes = 6  // three 2-character keys
        let (fast, general) = Self.simulators(configuration)
        let spread = Gates.circuit(qubits: 2, bits: 2, [Gates.h(0), Gates.h(1), Gates.measure(0, 0), Gates.measure(1, 1)])
        let options = RunOptions(shots: 1000, seed: 3)
        let expected = SimulationError.resultTooLarge(outcomes: 3, keyBytes: 2, limitBytes: 6)
        #expect(throws: expected) { try general.run(spread, options: options) }
        #expect(throws: expected) { try fast.run(spread, options: options) }
        let cancelled = RunOptions(shots: 10, seed: 1, isCancelled: { true })
        #expect(throws: SimulationError.cancelled) { try general.run(Gates.bell(), options: cancelled) }
        #expect(throws: SimulationError.cancelled) { try fast.run(Gates.bell(), options: cancelled) }
    }
}
