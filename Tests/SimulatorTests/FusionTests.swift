import CircuitTestSupport
import QASM
import Testing
@testable import Simulator

@Suite struct FusionTests {
    /// u, u, cx, u, u, cx, u, u on one pair: one dense two-qubit block.
    @Test func twoQubitRunsFuseIntoOneBlock() throws {
        var instructions: [Instruction] = []
        for k in 0..<3 {
            instructions += [Gates.ry(0.3 + Double(k), 0), Gates.ry(1.1 * Double(k) + 0.2, 1), k == 1 ? Gates.cx(1, 0) : Gates.cx(0, 1)]
        }
        instructions += [Gates.h(0), Gates.p(0.4, 1)]
        let circuit = Gates.circuit(qubits: 4, bits: 0, instructions)
        let gates = try ProgramBuilder.build(circuit).blocks[0].gates
        #expect(GateFuser.fuse(gates).count == 1)
        let engine = try Simulator().statevector(circuit)
        #expect(maxDistance(engine, try ReferenceSimulator.statevector(circuit)) < 1e-12)
    }

    /// QFT's phases are cheap and diagonal: they must not be merged into dense blocks with the Hadamards.
    @Test func controlledPhasesStayDiagonal() throws {
        let circuit = Gates.circuit(qubits: 4, bits: 0, [Gates.h(3), Gates.cp(0.5, 2, 3), Gates.cp(0.25, 1, 3), Gates.h(2)])
        let fused = GateFuser.fuse(try ProgramBuilder.build(circuit).blocks[0].gates)
        #expect(fused.filter { $0.kind == .dense }.allSatisfy { $0.targets.count == 1 })
        #expect(maxDistance(try Simulator().statevector(circuit), try ReferenceSimulator.statevector(circuit)) < 1e-12)
    }

    @Test func fusionKeepsOrderAcrossInterleavedPairs() throws {
        // Gates on (0,1) and (1,2) alternate: nothing may move past a gate sharing a qubit.
        var random = RandomCircuits(seed: 5)
        var instructions: [Instruction] = []
        for i in 0..<30 {
            let pair = i % 3 == 0 ? [0, 1] : i % 3 == 1 ? [1, 2] : [2]
            instructions.append(.gate(GateApplication(name: "g", targets: pair, matrix: random.matrix(qubits: pair.count))))
        }
        let circuit = Gates.circuit(qubits: GateFuser.minimumQubits, bits: 0, instructions)
        let engine = try Simulator().statevector(circuit)
        let reference = try ReferenceSimulator.statevector(circuit)
        let scale = reference.map { $0.magnitudeSquared }.max() ?? 1
        #expect(maxDistance(engine, reference) <= 1e-11 * max(1, scale.squareRoot()))
    }

    @Test func longStagesStillObserveTheTimeLimit() {
        var configuration = SimulatorConfiguration()
        configuration.timeLimit = .milliseconds(1)
        // A chain of overlapping cx: nothing fuses, so the stages really hold hundreds of gates.
        let gates: [Instruction] = (0..<3000).map { Gates.cx($0 % 11, $0 % 11 + 1) }
        let circuit = Gates.circuit(qubits: 12, bits: 0, gates)
        #expect(throws: SimulationError.timeLimitExceeded(seconds: 0.001)) {
            try Simulator(configuration: configuration).run(circuit, options: RunOptions(shots: 1))
        }
    }
}
