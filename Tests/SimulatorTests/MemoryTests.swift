import QASM
import Testing
@testable import Simulator

@Suite struct MemoryTests {
    @Test func buffersAboveTheRetainedSizeAreFreedAfterARun() throws {
        var configuration = SimulatorConfiguration(threads: 1)
        configuration.retainedBufferBytes = StateBuffer.byteCount(qubits: 10)
        let simulator = Simulator(configuration: configuration)
        let small = Gates.circuit(qubits: 10, bits: 0, [Gates.h(0)])
        let large = Gates.circuit(qubits: 12, bits: 0, [Gates.h(0)])
        _ = try simulator.run(small, options: RunOptions(shots: 1, seed: 1))
        #expect(simulator.heldStateBytes == StateBuffer.byteCount(qubits: 10))
        _ = try simulator.run(large, options: RunOptions(shots: 1, seed: 1))
        #expect(simulator.heldStateBytes == 0)
    }

    @Test func releaseMemoryFreesTheKeptState() throws {
        let simulator = Simulator(configuration: SimulatorConfiguration(threads: 1))
        let result = try simulator.run(Gates.circuit(qubits: 12, bits: 0, [Gates.h(0)]), options: RunOptions(shots: 1, seed: 1))
        #expect(result.shots == 1)
        #expect(simulator.heldStateBytes == StateBuffer.byteCount(qubits: 12))
        simulator.releaseMemory()
        #expect(simulator.heldStateBytes == 0)
        // The next run allocates again and still works.
        let again = try simulator.run(Gates.bell(), options: RunOptions(shots: 10, seed: 1))
        #expect(again.counts.values.reduce(0, +) == 10)
    }
}
