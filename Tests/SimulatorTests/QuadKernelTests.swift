import CircuitTestSupport
import QASM
import Testing
@testable import Simulator

/// The 4-wide kernels (`QuadKernels`, AVX2 hosts) against the reference simulator and the 8-wide `LaneKernels`,
/// whichever kind of host runs the tests.
@Suite struct QuadKernelTests {
    /// Random gates of every shape, with controls (in-lane controls make the coefficients differ between a lane's
    /// halves), on whole states, chunks and gates split between workers.
    @Test(arguments: [LaneWidth.four, .eight], [1, 2])
    func randomGatesMatchReference(width: LaneWidth, threads: Int) throws {
        var random = RandomCircuits(seed: 977 + UInt64(threads))
        var configuration = SimulatorConfiguration(threads: threads)
        configuration.laneWidth = width
        let whole = Simulator(configuration: configuration)
        let chunked = Simulator(configuration: configuration, chunkQubits: 6, parallelQubits: 2)
        for qubits in [3, 4, 6, 9] {
            let circuit = random.circuit(qubits: qubits, gates: 60, maxTargets: 2)
            let reference = try ReferenceSimulator.statevector(circuit)
            let scale = max(1, (reference.map { $0.magnitudeSquared }.max() ?? 1).squareRoot())
            #expect(maxDistance(try whole.statevector(circuit), reference) <= 1e-12 * scale)
            #expect(maxDistance(try chunked.statevector(circuit), reference) <= 1e-12 * scale)
        }
    }

    /// Each kernel `QuadKernels` specialises, with the in-lane target of `pair` on each in-lane qubit (2 swaps
    /// the halves, 0 and 1 permute within them) and an in-lane control: the same amplitudes in both forms.
    @Test func everyShapeAgreesWithEightWide() throws {
        var random = RandomCircuits(seed: 31)
        func dense(_ targets: [Int], controls: [Int] = []) -> Instruction {
            .gate(GateApplication(
                name: "u", targets: targets, matrix: Gates.matrix(Self.denseRows(qubits: targets.count, &random)),
                controls: controls, controlValues: controls.map { _ in true }
            ))
        }
        let iswap = Gates.matrix([
            [.one, .zero, .zero, .zero], [.zero, .zero, .i, .zero], [.zero, .i, .zero, .zero], [.zero, .zero, .zero, .one],
        ])
        var instructions: [Instruction] = (0..<7).map { Gates.h($0) }
        let cases: [(Instruction, LaneGateShape)] = [
            (dense([4, 6]), .dense4), (dense([3, 5], controls: [1]), .dense4), (dense([5]), .dense2),
            (dense([3], controls: [0]), .dense2), (dense([0, 4]), .pair), (dense([1, 5]), .pair), (dense([2, 3]), .pair),
            (dense([2, 6], controls: [0]), .pair),
            (.gate(GateApplication(name: "iswap", targets: [3, 6], matrix: iswap)), .phased),
        ]
        for (instruction, shape) in cases {
            guard case let .gate(application) = instruction else { continue }
            #expect(LaneGate<Double>(CompiledGate(application)).shape == shape, "\(application.targets)")
            instructions.append(instruction)
        }
        let circuit = Gates.circuit(qubits: 7, bits: 0, instructions)
        var four = SimulatorConfiguration(threads: 1), eight = four
        four.laneWidth = .four
        eight.laneWidth = .eight
        let reference = try ReferenceSimulator.statevector(circuit)
        #expect(maxDistance(try Simulator(configuration: four).statevector(circuit), reference) <= 1e-12)
        #expect(maxDistance(try Simulator(configuration: eight).statevector(circuit), reference) <= 1e-12)
    }

    /// The input-stationary 4-wide `dense4` against the 8-wide row-by-row one, gate by gate on a 10-qubit state:
    /// dense 4×4 blocks on every pair of outer targets (adjacent, far apart, across the chunk boundary), some with
    /// in-lane or outer controls, applied on top of each other so errors would compound. In double precision the
    /// 4-wide form is `QuadKernels.dense4`; in single precision, `LaneKernels.dense4Stationary` (a lane is one
    /// AVX2 register) against the 8-wide form and the reference.
    @Test(arguments: [Precision.double, .single])
    func dense4FormsAgree(precision: Precision) throws {
        var random = RandomCircuits(seed: 4242)
        var instructions: [Instruction] = (0..<10).map { Gates.h($0) }
        let pairs = [[3, 4], [3, 9], [5, 8], [6, 7], [4, 9], [7, 9], [3, 6], [8, 9]]
        let controlSets: [[Int]] = [[], [], [0], [2], [5], []]
        for (n, targets) in pairs.enumerated() {
            let controls = controlSets[n % controlSets.count].filter { !targets.contains($0) }
            instructions.append(.gate(GateApplication(
                name: "u", targets: targets, matrix: Gates.matrix(Self.denseRows(qubits: 2, &random)),
                controls: controls, controlValues: controls.map { _ in true }
            )))
        }
        for case let .gate(application) in instructions.dropFirst(10) {
            #expect(LaneGate<Double>(CompiledGate(application)).shape == .dense4, "\(application.targets)")
        }
        let circuit = Gates.circuit(qubits: 10, bits: 0, instructions)
        var four = SimulatorConfiguration(threads: 1), eight = four
        four.laneWidth = .four
        eight.laneWidth = .eight
        let expected = try Simulator(configuration: eight).statevector(circuit, precision: precision)
        let scale = max(1, (expected.map { $0.magnitudeSquared }.max() ?? 1).squareRoot())
        // Single precision: the two forms round differently (each within ~1e-7 of the exact amplitudes).
        let tolerance = (precision == .double ? 1e-12 : 1e-5) * scale
        #expect(maxDistance(try Simulator(configuration: four).statevector(circuit, precision: precision), expected) <= tolerance)
        let chunked = Simulator(configuration: four, chunkQubits: 6, parallelQubits: 2)
        #expect(maxDistance(try chunked.statevector(circuit, precision: precision), expected) <= tolerance)
        if precision == .single {
            let reference = try ReferenceSimulator.statevector(circuit)
            #expect(maxDistance(try Simulator(configuration: four).statevector(circuit, precision: .single), reference) <= tolerance)
        }
    }

    /// A random dense matrix (rows of complex entries): unitarity does not matter to a linear-algebra comparison.
    private static func denseRows(qubits: Int, _ random: inout RandomCircuits) -> [[Complex]] {
        let d = 1 << qubits
        return (0..<d).map { _ in (0..<d).map { _ in random.complex() } }
    }
}
