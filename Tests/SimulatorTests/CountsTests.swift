import QASM
import Testing
@testable import Simulator

@Suite struct CountsTests {
    @Test func bellCountsUseBothOutcomesOnly() throws {
        let result = try Simulator().run(Gates.bell(), options: RunOptions(shots: 1024, seed: 5))
        #expect(Set(result.counts.keys).isSubset(of: ["00", "11"]))
        #expect(result.counts.values.reduce(0, +) == 1024)
        #expect(result.seed == 5)
        #expect(try Simulator().probabilities(Gates.bell()).mapValues { ($0 * 1e12).rounded() / 1e12 } == ["00": 0.5, "11": 0.5])
    }

    @Test func registersAreReversedAndSpaced() throws {
        // bit[2] out; bit[1] flag; bit[2] rest;  out = 01, flag = 1, rest = 10  →  "10 1 01"
        let circuit = Circuit(
            qubitCount: 5, bitCount: 5,
            registers: [
                ClassicalRegister(name: "out", offset: 0, size: 2),
                ClassicalRegister(name: "flag", offset: 2, size: 1),
                ClassicalRegister(name: "rest", offset: 3, size: 2),
            ],
            instructions: [Gates.x(0), Gates.x(2), Gates.x(4)] + (0..<5).map { Gates.measure($0, $0) }
        )
        #expect(try Simulator().run(circuit, options: RunOptions(shots: 10, seed: 1)).counts == ["10 1 01": 10])
    }

    @Test func unwrittenBitsReadZeroAndLastWriteWins() throws {
        let circuit = Gates.circuit(qubits: 2, bits: 3, [Gates.x(1), Gates.measure(0, 2), Gates.measure(1, 2)])
        #expect(try Simulator().run(circuit, options: RunOptions(shots: 3, seed: 1)).counts == ["100": 3])
    }

    @Test func noClassicalBitsMeansEveryQubitMeasured() throws {
        let circuit = Gates.circuit(qubits: 3, bits: 0, [Gates.x(0), Gates.h(2)])
        let probabilities = try Simulator().probabilities(circuit)
        #expect(Set(probabilities.keys) == ["001", "101"])
        #expect(abs(probabilities["101", default: 0] - 0.5) < 1e-12)
    }

    @Test func degenerateProgramsStillAnswer() throws {
        let empty = Circuit(qubitCount: 0, bitCount: 0, registers: [], instructions: [])
        #expect(try Simulator().run(empty, options: RunOptions(shots: 5, seed: 1)).counts == ["": 5])
        #expect(try Simulator().run(Gates.bell(), options: RunOptions(shots: 0, seed: 1)).counts.isEmpty)
        #expect(throws: SimulationError.self) { try Simulator().run(Gates.bell(), options: RunOptions(shots: -1)) }
    }

    @Test func measurementThenUnrelatedGatesIsStillSampledOnce() throws {
        // q0 is measured first, then q1 is rotated: measurements commute to the end.
        let circuit = Gates.circuit(qubits: 2, bits: 2, [Gates.h(0), Gates.measure(0, 0), Gates.x(1), Gates.measure(1, 1)])
        let result = try Simulator().run(circuit, options: RunOptions(shots: 4000, seed: 9))
        #expect(result.statistics.branches == 1)
        #expect(Set(result.counts.keys) == ["10", "11"])
    }

    @Test func samplingMatchesDistribution() throws {
        let gates: [Instruction] = (0..<40).map { i in
            switch i % 4 {
            case 0: Gates.h(i % 5)
            case 1: Gates.ry(Double(i) * 0.37, (i + 2) % 5)
            case 2: Gates.cx(i % 5, (i + 1) % 5)
            default: Gates.cp(Double(i) * 0.21, (i + 3) % 5, i % 5)
            }
        }
        let circuit = Gates.circuit(qubits: 5, bits: 5, gates + (0..<5).map { Gates.measure($0, $0) })
        let exact = try Simulator().probabilities(circuit)
        #expect(abs(exact.values.reduce(0, +) - 1) < 1e-12)
        let shots = 200_000
        let counts = try Simulator().run(circuit, options: RunOptions(shots: shots, seed: 3)).counts
        #expect(totalVariation(exact, frequencies(counts)) < 0.01)
        #expect(chiSquareAcceptable(counts: counts, expected: exact, shots: shots))
    }

    @Test func streamingSamplerMatchesDistribution() throws {
        // Above the (lowered) table threshold, so the sorted-uniform sampler runs over several blocks.
        let n = 11
        let measured = [0, 3, 5, 7, n - 1]
        let gates = (0..<n).map { Gates.ry(0.4 + 0.23 * Double($0), $0) } + [Gates.cx(0, 5), Gates.cx(7, 3)]
        let measurements = measured.enumerated().map { Gates.measure($0.element, $0.offset) }
        let circuit = Gates.circuit(qubits: n, bits: measured.count, gates + measurements)
        let exact = try Simulator().probabilities(circuit)
        let shots = 100_000
        let simulator = Simulator(
            configuration: SimulatorConfiguration(threads: 2), chunkQubits: 11, parallelQubits: 2, blockQubits: 5, tableQubits: 6
        )
        let counts = try simulator.run(circuit, options: RunOptions(shots: shots, seed: 77)).counts
        #expect(counts.values.reduce(0, +) == shots)
        #expect(chiSquareAcceptable(counts: counts, expected: exact, shots: shots))
    }
}

/// Pearson's chi-square against the exact distribution, accepted below a bound generous enough that a correct
/// sampler fails with negligible probability (mean + 6 standard deviations of the statistic).
func chiSquareAcceptable(counts: [String: Int], expected: [String: Double], shots: Int) -> Bool {
    var statistic = 0.0
    var cells = 0
    for (key, p) in expected where p * Double(shots) >= 5 {
        let e = p * Double(shots)
        let o = Double(counts[key, default: 0])
        statistic += (o - e) * (o - e) / e
        cells += 1
    }
    let unexpected = counts.keys.filter { expected[$0, default: 0] == 0 }
    let degrees = Double(max(1, cells - 1))
    return unexpected.isEmpty && statistic < degrees + 6 * (2 * degrees).squareRoot()
}
