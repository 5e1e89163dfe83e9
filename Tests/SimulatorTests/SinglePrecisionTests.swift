import CircuitTestSupport
import QASM
import Testing
@testable import Simulator

/// `precision: .single` (complex64): the same kernels instantiated for `Float`, checked against the reference
/// simulator and against double precision on the fixture corpus, and the memory it is charged.
@Suite struct SinglePrecisionTests {
    /// Random gates of every shape on whole states, chunks and gates split between workers, both kernel widths
    /// configured (single precision always runs the 8-wide forms: a lane is one AVX2 register).
    @Test(arguments: [LaneWidth.four, .eight], [1, 2])
    func randomGatesMatchReference(width: LaneWidth, threads: Int) throws {
        var random = RandomCircuits(seed: 4242 + UInt64(threads))
        var configuration = SimulatorConfiguration(threads: threads)
        configuration.laneWidth = width
        let whole = Simulator(configuration: configuration)
        let chunked = Simulator(configuration: configuration, chunkQubits: 6, parallelQubits: 2)
        for qubits in [1, 2, 3, 4, 6, 9] {
            let circuit = random.circuit(qubits: qubits, gates: 40, maxTargets: 3)
            let reference = try ReferenceSimulator.statevector(circuit)
            let scale = max(1, (reference.map { $0.magnitudeSquared }.max() ?? 1).squareRoot())
            let single = try whole.statevector(circuit, precision: .single)
            #expect(maxDistance(single, reference) <= 1e-4 * scale, "\(qubits) qubits")
            #expect(maxDistance(try chunked.statevector(circuit, precision: .single), reference) <= 1e-4 * scale)
            // Float really ran: not bit-identical to double (which agrees to 1e-12).
            #expect(maxDistance(single, reference) > 1e-12 * scale || reference.allSatisfy { $0.magnitudeSquared == 0 })
        }
    }

    /// Every runnable fixture: single-precision counts against the exact distribution (the fixture's, else double
    /// precision's), by the same chi-square bound the double-precision corpus tests use; exact fixtures also
    /// probability by probability.
    @Test(arguments: CircuitFixture.runnable)
    func countsAgreeWithDoublePrecision(_ fixture: CircuitFixture) throws {
        let circuit = try fixture.circuit()
        let shots = 50_000
        let result = try Simulator().run(circuit, options: RunOptions(shots: shots, seed: 99, precision: .single))
        #expect(result.precision == .single)
        #expect(result.counts.values.reduce(0, +) == shots)
        if let expected = fixture.expectation.probabilities ?? (try? Simulator().probabilities(circuit)) {
            #expect(chiSquareAcceptable(counts: result.counts, expected: expected, shots: shots), "\(fixture.name)")
        } else {
            let double = try Simulator().run(circuit, options: RunOptions(shots: shots, seed: 99))
            #expect(totalVariation(frequencies(double.counts), frequencies(result.counts)) < 0.03, "\(fixture.name)")
        }
        if fixture.expectation.kind == "exact", let expected = fixture.expectation.probabilities {
            let single = try Simulator().probabilities(circuit, precision: .single)
            for key in Set(expected.keys).union(single.keys) {
                #expect(abs(single[key, default: 0] - expected[key, default: 0]) <= 1e-4, "\(fixture.name) \(key)")
            }
        }
    }

    @Test func aWrongDistributionFailsTheBound() {
        // The bound can fail: a Bell pair's counts against a uniform two-qubit distribution.
        let uniform = ["00": 0.25, "01": 0.25, "10": 0.25, "11": 0.25]
        #expect(!chiSquareAcceptable(counts: ["00": 25_000, "11": 25_000], expected: uniform, shots: 50_000))
    }

    @Test func halfTheBytesPerAmplitude() {
        #expect(StateBuffer.byteCount(qubits: 10, precision: .single) == 8 << 10)
        #expect(StateBuffer.byteCount(qubits: 10, precision: .double) == 16 << 10)
        #expect(SimulatorConfiguration.qubitsFitting(bytes: 16 << 20, precision: .single) == 21)
        #expect(SimulatorConfiguration.qubitsFitting(bytes: 16 << 20, precision: .double) == 20)
        var configuration = SimulatorConfiguration(threads: 1)
        configuration.memoryBudgetBytes = 1 << 30
        #expect(configuration.largestStateQubits(precision: .single) == 27)
        #expect(configuration.largestStateQubits == 26)
    }

    /// A budget that holds a 12-qubit complex128 state runs 13 qubits in single precision and refuses them in
    /// double, and what a single-precision run keeps is charged at 8 bytes per amplitude.
    @Test func oneMoreQubitInTheSameBudget() throws {
        var configuration = SimulatorConfiguration(threads: 1)
        configuration.memoryBudgetBytes = StateBuffer.byteCount(qubits: 12)
        let simulator = Simulator(configuration: configuration)
        let circuit = Gates.circuit(qubits: 13, bits: 13, [Gates.h(0)] + (0..<13).map { Gates.measure($0, $0) })
        let single = try simulator.run(circuit, options: RunOptions(shots: 1000, seed: 1, precision: .single))
        #expect(single.precision == .single)
        #expect(single.counts.keys.sorted() == ["0000000000000", "0000000000001"])
        #expect(simulator.heldStateBytes == StateBuffer.byteCount(qubits: 13, precision: .single))
        #expect(throws: SimulationError.stateTooLarge(
            qubits: 13, bytes: StateBuffer.byteCount(qubits: 13), budgetBytes: StateBuffer.byteCount(qubits: 12)
        )) {
            try simulator.run(circuit, options: RunOptions(shots: 1000, seed: 1, precision: .double))
        }
        // A double run of 12 qubits reuses the kept buffer: same bytes.
        let double = try simulator.run(Gates.circuit(qubits: 12, bits: 0, [Gates.h(0)]), options: RunOptions(shots: 1, seed: 1))
        #expect(double.precision == .double)
        #expect(simulator.heldStateBytes == StateBuffer.byteCount(qubits: 12))
    }

    /// Mid-circuit measurement, reset and classical control in single precision, with copies of the state per
    /// branch: the exact distribution matches double precision's.
    @Test func dynamicCircuitsBranchInSinglePrecision() throws {
        let source = """
            OPENQASM 3.0;
            include "stdgates.inc";
            qubit[3] q;
            bit[3] c;
            h q[0];
            ry(0.7) q[1];
            c[0] = measure q[0];
            if (c[0] == 1) { x q[2]; }
            reset q[0];
            h q[0];
            cx q[1], q[2];
            c[1] = measure q[1];
            c[2] = measure q[2];
            """
        let circuit = try QASMCompiler.compile(source)
        let double = try Simulator().probabilities(circuit)
        let single = try Simulator().probabilities(circuit, precision: .single)
        for key in Set(double.keys).union(single.keys) {
            #expect(abs(double[key, default: 0] - single[key, default: 0]) <= 1e-6, "\(key)")
        }
        let counts = try Simulator().run(circuit, options: RunOptions(shots: 20_000, seed: 5, precision: .single)).counts
        #expect(chiSquareAcceptable(counts: counts, expected: double, shots: 20_000))
    }
}
