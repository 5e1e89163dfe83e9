import QASM
import Testing
@testable import Simulator

@Suite struct DeterminismTests {
    /// 11 qubits (several 2^6-amplitude reduction blocks below), entangling layers, a mid-circuit measurement with
    /// feed-forward, then every qubit measured.
    static func dynamicCircuit() -> Circuit {
        let n = 11
        var instructions: [Instruction] = (0..<n).map { Gates.ry(0.3 + 0.1 * Double($0), $0) }
        instructions += (0..<(n - 1)).map { Gates.cx($0, $0 + 1) }
        instructions.append(Gates.measure(7, 0))
        instructions.append(.ifElse(condition: .bit(0), then: [Gates.x(10), Gates.h(3)], otherwise: [Gates.h(0)]))
        instructions += (0..<n).map { Gates.ry(0.2, $0) }
        instructions += (0..<n).map { Gates.measure($0, $0) }
        return Gates.circuit(qubits: n, bits: n, instructions)
    }

    @Test func countsDoNotDependOnThreadsOrChunking() throws {
        let circuit = Self.dynamicCircuit()
        let options = RunOptions(shots: 2000, seed: 31)
        let reference = try Simulator(
            configuration: SimulatorConfiguration(threads: 1), chunkQubits: 11, parallelQubits: 2, blockQubits: 6, tableQubits: 4
        ).run(circuit, options: options)
        #expect(reference.statistics.branches >= 2)
        for (threads, chunk) in [(2, 6), (3, 5), (2, 11), (4, 8)] {
            let simulator = Simulator(
                configuration: SimulatorConfiguration(threads: threads), chunkQubits: chunk, parallelQubits: 2,
                blockQubits: 6, tableQubits: 4
            )
            #expect(try simulator.run(circuit, options: options).counts == reference.counts, "threads \(threads) chunk \(chunk)")
        }
    }

    @Test func exactProbabilitiesDoNotDependOnThreads() throws {
        let circuit = Self.dynamicCircuit()
        let one = try Simulator(configuration: SimulatorConfiguration(threads: 1)).probabilities(circuit)
        let two = try Simulator(
            configuration: SimulatorConfiguration(threads: 2), chunkQubits: 6, parallelQubits: 2, blockQubits: 6
        ).probabilities(circuit)
        #expect(Set(one.keys) == Set(two.keys))
        #expect(one.keys.allSatisfy { abs(one[$0]! - two[$0]!) < 1e-12 })
    }
}
