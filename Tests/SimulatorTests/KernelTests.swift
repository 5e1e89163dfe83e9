import CircuitTestSupport
import QASM
import Testing
@testable import Simulator

@Suite struct KernelTests {
    @Test(arguments: [1, 2, 3, 5, 8, 10])
    func randomGatesMatchReference(qubits: Int) throws {
        var random = RandomCircuits(seed: UInt64(qubits) * 7919)
        for _ in 0..<4 {
            // Non-unitary matrices are fine here: both sides are plain linear algebra.
            let circuit = random.circuit(qubits: qubits, gates: 30, maxTargets: min(qubits, 4))
            let engine = try Simulator().statevector(circuit)
            let reference = try ReferenceSimulator.statevector(circuit)
            let scale = reference.map { $0.magnitudeSquared }.max() ?? 1
            #expect(maxDistance(engine, reference) <= 1e-12 * max(1, scale.squareRoot()))
        }
    }

    @Test(arguments: [(1, 2), (3, 1), (4, 2), (5, 2), (6, 1), (10, 2), (10, 3)])
    func chunkedStagesMatchReference(chunkQubits: Int, threads: Int) throws {
        var random = RandomCircuits(seed: UInt64(chunkQubits * 31 + threads))
        let simulator = Simulator(
            configuration: SimulatorConfiguration(threads: threads), chunkQubits: chunkQubits, parallelQubits: 2
        )
        for qubits in [7, 9, 11] {
            let circuit = random.circuit(qubits: qubits, gates: 40, maxTargets: min(chunkQubits, 3))
            let engine = try simulator.statevector(circuit)
            let reference = try ReferenceSimulator.statevector(circuit)
            let scale = reference.map { $0.magnitudeSquared }.max() ?? 1
            #expect(maxDistance(engine, reference) <= 1e-12 * max(1, scale.squareRoot()))
        }
    }

    /// A stage whose chunks are contiguous blocks of the state (every target among the chunk's low qubits) is
    /// worked on in place up to `inPlaceStateLimitBytes` and copied out beyond it: both give the reference's
    /// amplitudes, in both precisions, on one thread and two.
    @Test(arguments: [1, 2])
    func contiguousChunksInPlaceOrCopiedOutMatchReference(threads: Int) throws {
        var random = RandomCircuits(seed: 6151 + UInt64(threads))
        var instructions: [Instruction] = (0..<9).map { Gates.h($0) }
        // Gates within qubits 0–5 (one 6-qubit chunk), then a few across the whole state, then within 0–5 again.
        for _ in 0..<25 { instructions.append(.gate(random.gate(qubits: 6, maxTargets: 3))) }
        for _ in 0..<5 { instructions.append(.gate(random.gate(qubits: 9, maxTargets: 2))) }
        for _ in 0..<25 { instructions.append(.gate(random.gate(qubits: 6, maxTargets: 3))) }
        let circuit = Gates.circuit(qubits: 9, bits: 0, instructions)
        let gates = instructions.compactMap { instruction -> CompiledGate? in
            if case let .gate(application) = instruction { CompiledGate(application) } else { nil }
        }
        // The case under test exists: some stage of 6-qubit chunks is contiguous.
        #expect(StagePlanner.plan(gates, qubits: 9, chunkQubits: 6, as: Double.self).contains { $0.inPlace })
        let reference = try ReferenceSimulator.statevector(circuit)
        let scale = max(1, (reference.map { $0.magnitudeSquared }.max() ?? 1).squareRoot())
        for limit in [Int.max, 0] {
            let simulator = Simulator(
                configuration: SimulatorConfiguration(threads: threads), chunkQubits: 6, parallelQubits: 2, inPlaceStateLimitBytes: limit
            )
            #expect(maxDistance(try simulator.statevector(circuit), reference) <= 1e-12 * scale, "limit \(limit)")
            #expect(maxDistance(try simulator.statevector(circuit, precision: .single), reference) <= 1e-4 * scale, "limit \(limit)")
        }
    }

    /// iswap-like blocks on outer qubits (each output one input times a phase, some outputs untouched) take the
    /// `phased` kernel, with and without controls, on whole states and chunks.
    @Test(arguments: [1, 2])
    func phasedBlocksMatchReference(threads: Int) throws {
        var random = RandomCircuits(seed: 4242 + UInt64(threads))
        let iswap = Gates.matrix([
            [.one, .zero, .zero, .zero], [.zero, .zero, .i, .zero], [.zero, .i, .zero, .zero], [.zero, .zero, .zero, .one],
        ])
        let phasedCycle = Gates.matrix([
            [.zero, .phase(0.3), .zero, .zero], [.zero, .zero, .phase(1.1), .zero],
            [.phase(2.0), .zero, .zero, .zero], [.zero, .zero, .zero, .phase(-0.7)],
        ])
        #expect(LaneGate<Double>(CompiledGate(GateApplication(name: "iswap", targets: [3, 5], matrix: iswap))).shape == .phased)
        let simulator = Simulator(configuration: SimulatorConfiguration(threads: threads), chunkQubits: 6, parallelQubits: 2)
        var instructions: [Instruction] = (0..<9).map { Gates.h($0) }
        for step in 0..<12 {
            instructions.append(.gate(random.gate(qubits: 9, maxTargets: 2)))
            let a = 3 + step % 6, b = 3 + (step * 5 + 2) % 6
            let controls = step % 3 == 0 ? [step % 3] : []
            instructions.append(.gate(GateApplication(
                name: "m", targets: a == b ? [a, 8] : [a, b], matrix: step % 2 == 0 ? iswap : phasedCycle,
                controls: controls, controlValues: controls.map { _ in true }
            )))
        }
        let circuit = Gates.circuit(qubits: 9, bits: 0, instructions)
        let reference = try ReferenceSimulator.statevector(circuit)
        #expect(maxDistance(try simulator.statevector(circuit), reference) <= 1e-12)
        #expect(maxDistance(try Simulator().statevector(circuit), reference) <= 1e-12)
    }

    @Test func targetOrderFollowsMatrixBitConvention() throws {
        // |q1 q0⟩ = |01⟩ then a gate whose targets[0] = q1: the matrix sees q1 as its low bit.
        let cnotLowControls = GateMatrix(qubitCount: 2, elements: [
            .one, .zero, .zero, .zero,
            .zero, .zero, .zero, .one,
            .zero, .zero, .one, .zero,
            .zero, .one, .zero, .zero,
        ])
        let circuit = Gates.circuit(qubits: 2, bits: 0, [
            Gates.x(1), .gate(GateApplication(name: "cx", targets: [1, 0], matrix: cnotLowControls)),
        ])
        let state = try Simulator().statevector(circuit)
        #expect(abs(state[3].re - 1) < 1e-15)
    }

    @Test func negatedControlActsOnZero() throws {
        let circuit = Gates.circuit(qubits: 2, bits: 0, [
            .gate(GateApplication(name: "x", targets: [1], matrix: Gates.xMatrix, controls: [0], controlValues: [false])),
        ])
        let state = try Simulator().statevector(circuit)
        #expect(abs(state[2].re - 1) < 1e-15)
    }

    @Test func globalPhaseAppearsOnlyInStatevector() throws {
        let circuit = Gates.circuit(qubits: 1, bits: 0, [.globalPhase(Double.pi / 2)])
        let state = try Simulator().statevector(circuit)
        #expect(abs(state[0].im - 1) < 1e-15)
        #expect(try Simulator().probabilities(circuit) == ["0": 1])
    }
}
