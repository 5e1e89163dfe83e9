import QASM
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Testing
@testable import Simulator

@Suite struct DynamicTests {
    /// Teleport ry(θ)|0⟩ from q0 to q2 with feed-forward; the receiver's measurement must follow cos²(θ/2).
    static func teleport(theta: Double) -> Circuit {
        let registers = [
            ClassicalRegister(name: "m", offset: 0, size: 2),
            ClassicalRegister(name: "out", offset: 2, size: 1),
        ]
        let instructions: [Instruction] = [
            Gates.ry(theta, 0),
            Gates.h(1), Gates.cx(1, 2),
            Gates.cx(0, 1), Gates.h(0),
            Gates.measure(0, 0), Gates.measure(1, 1),
            .ifElse(condition: .bit(1), then: [Gates.x(2)], otherwise: []),
            .ifElse(condition: .bit(0), then: [Gates.z(2)], otherwise: []),
            Gates.measure(2, 2),
        ]
        return Circuit(qubitCount: 3, bitCount: 3, registers: registers, instructions: instructions)
    }

    @Test func teleportationExactDistribution() throws {
        let theta = 1.3
        let probabilities = try Simulator().probabilities(Self.teleport(theta: theta))
        let one = probabilities.filter { $0.key.hasPrefix("1 ") }.values.reduce(0, +)
        let s = sin(theta / 2)
        #expect(abs(one - s * s) < 1e-12)
        #expect(probabilities.count == 8)
        #expect(abs(probabilities.values.reduce(0, +) - 1) < 1e-12)
    }

    @Test func teleportationSampledCountsFollowDistribution() throws {
        let circuit = Self.teleport(theta: 2.2)
        let exact = try Simulator().probabilities(circuit)
        let shots = 100_000
        let result = try Simulator().run(circuit, options: RunOptions(shots: shots, seed: 11))
        #expect(result.counts.values.reduce(0, +) == shots)
        #expect(result.statistics.branches > 1)
        #expect(chiSquareAcceptable(counts: result.counts, expected: exact, shots: shots))
    }

    @Test func resetLeavesQubitInZero() throws {
        let circuit = Gates.circuit(qubits: 2, bits: 2, [
            Gates.h(0), Gates.cx(0, 1), .reset(qubit: 0), Gates.measure(0, 0), Gates.measure(1, 1),
        ])
        let probabilities = try Simulator().probabilities(circuit)
        #expect(Set(probabilities.keys) == ["00", "10"])
        #expect(abs(probabilities["10", default: 0] - 0.5) < 1e-12)
        let counts = try Simulator().run(circuit, options: RunOptions(shots: 1000, seed: 2)).counts
        #expect(Set(counts.keys).isSubset(of: ["00", "10"]))
    }

    /// Repeat until the coin shows 1: the loop ends on every branch, after k tries with probability 2^-k.
    static func repeatUntilOne(maxIterations: Int) -> Circuit {
        Gates.circuit(qubits: 1, bits: 1, [
            .whileLoop(
                condition: .unary(.logicalNot, .bit(0)),
                body: [.reset(qubit: 0), Gates.h(0), Gates.measure(0, 0)],
                maxIterations: maxIterations
            ),
        ])
    }

    @Test func whileLoopRunsPerBranch() throws {
        let exact = try Simulator().probabilities(Self.repeatUntilOne(maxIterations: 1000))
        #expect(exact.keys.sorted() == ["1"])
        let result = try Simulator().run(Self.repeatUntilOne(maxIterations: 1000), options: RunOptions(shots: 500, seed: 4))
        #expect(result.counts == ["1": 500])
        #expect(try Simulator().probabilities(Self.repeatUntilOne(maxIterations: 1000)).keys.sorted() == ["1"])
    }

    @Test func whileLoopLimitFailsTheRun() {
        // Never terminates: the condition stays true.
        let circuit = Gates.circuit(qubits: 1, bits: 1, [
            .whileLoop(condition: .constant(.bool(true)), body: [Gates.x(0)], maxIterations: 50),
        ])
        #expect(throws: SimulationError.loopLimitExceeded(iterations: 50)) {
            try Simulator().run(circuit, options: RunOptions(shots: 10, seed: 1))
        }
    }

    @Test func breakAndContinueLeaveTheLoop() throws {
        // v counts iterations; continue skips the x on odd v; break at v == 4. x applied at v = 2 only... and v = 0.
        let v = ClassicalExpression.variable(0)
        let body: [Instruction] = [
            .assign(variable: 0, value: .binary(.add, v, .constant(.int(1)))),
            .ifElse(condition: .binary(.equal, v, .constant(.int(4))), then: [.breakLoop], otherwise: []),
            .ifElse(condition: .binary(.equal, .binary(.bitAnd, v, .constant(.int(1))), .constant(.int(1))), then: [.continueLoop], otherwise: []),
            Gates.x(0),
        ]
        let circuit = Circuit(
            qubitCount: 1, bitCount: 1, registers: [ClassicalRegister(name: "c", offset: 0, size: 1)],
            variableCount: 1, initialVariables: [.int(0)],
            instructions: [.whileLoop(condition: .constant(.bool(true)), body: body, maxIterations: 100), Gates.measure(0, 0)]
        )
        // Iterations v = 1 (continue), 2 (x), 3 (continue), 4 (break): one x in total.
        #expect(try Simulator().run(circuit, options: RunOptions(shots: 7, seed: 1)).counts == ["1": 7])
    }

    @Test func gatesAfterAnIfDoNotJoinItsBody() throws {
        let circuit = Gates.circuit(qubits: 1, bits: 1, [
            .ifElse(condition: .bit(0), then: [Gates.x(0)], otherwise: []),
            Gates.x(0),
            Gates.measure(0, 0),
        ])
        #expect(try Simulator().run(circuit, options: RunOptions(shots: 5, seed: 1)).counts == ["1": 5])
    }

    @Test func replayWithoutCopiesGivesIdenticalCounts() throws {
        let circuit = Self.teleport(theta: 0.9)
        let options = RunOptions(shots: 5000, seed: 99)
        let roomy = try Simulator().run(circuit, options: options)
        // Room for exactly one state: every split branch is rebuilt by replaying its outcomes.
        var tight = SimulatorConfiguration()
        tight.memoryBudgetBytes = StateBuffer.byteCount(qubits: 3)
        let replayed = try Simulator(configuration: tight).run(circuit, options: options)
        #expect(replayed.counts == roomy.counts)
    }
}

@Suite struct ResetPreambleTests {
    @Test func resetOfFreshQubitsIsDropped() throws {
        let circuit = Gates.circuit(qubits: 2, bits: 2, [
            .reset(qubit: 0), .reset(qubit: 1), Gates.h(0), Gates.cx(0, 1), Gates.measure(0, 0), Gates.measure(1, 1),
        ])
        let result = try Simulator().run(circuit, options: RunOptions(shots: 100, seed: 1))
        #expect(result.statistics.branches == 1)
        #expect(Set(result.counts.keys).isSubset(of: ["00", "11"]))
        #expect(try Simulator().statevector(circuit).count == 4)
    }

    @Test func resetInsideLoopIsKept() throws {
        // Each iteration resets q0 then flips it: without the reset the parity would alternate.
        let circuit = Gates.circuit(qubits: 1, bits: 1, [
            .whileLoop(condition: .unary(.logicalNot, .bit(0)), body: [.reset(qubit: 0), Gates.x(0), Gates.measure(0, 0)], maxIterations: 5),
            .reset(qubit: 0),
            Gates.measure(0, 0),
        ])
        #expect(try Simulator().run(circuit, options: RunOptions(shots: 10, seed: 1)).counts == ["0": 10])
    }
}
