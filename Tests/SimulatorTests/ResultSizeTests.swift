import QASM
import Testing
@testable import Simulator

/// Counts are bounded in bytes (distinct outcomes × key length) while they are built.
@Suite struct ResultSizeTests {
    /// 16 qubits in superposition measured into the low bits of one wide register: ~65,000 distinct 4096-character
    /// keys from 100,000 shots (256 MiB of keys) unless the limit stops it.
    static let wideKeys = """
        OPENQASM 3.0;
        include "stdgates.inc";
        qubit[16] q;
        bit[4096] c;
        h q;
        for int i in [0:15] { c[i] = measure q[i]; }
        """

    @Test func wideKeysFailBeforeTheyFillMemory() throws {
        let circuit = try QASMCompiler.compile(Self.wideKeys)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: SimulationError.resultTooLarge(outcomes: 2048, keyBytes: 4096, limitBytes: 8 << 20)) {
            try Simulator().run(circuit, options: RunOptions(shots: 100_000, seed: 1))
        }
        #expect(clock.now - start < .seconds(10))
        let message = SimulationError.resultTooLarge(outcomes: 2048, keyBytes: 4096, limitBytes: 8 << 20).description
        #expect(message.contains("2048 distinct outcomes") && message.contains("8.0 MiB") && message.contains("fewer shots"))
    }

    @Test func theLimitIsConfigurable() throws {
        let circuit = try QASMCompiler.compile(Self.wideKeys)
        var configuration = SimulatorConfiguration()
        configuration.maxResultBytes = 1 << 30
        let result = try Simulator(configuration: configuration).run(circuit, options: RunOptions(shots: 3000, seed: 1))
        #expect(result.counts.values.reduce(0, +) == 3000)
        #expect(result.counts.keys.allSatisfy { $0.count == 4096 })
    }

    @Test func aResultAtTheLimitPassesAndOneKeyMoreFails() throws {
        // Bell keys are 2 characters: 4 bytes hold both outcomes, 3 bytes only one.
        var configuration = SimulatorConfiguration()
        configuration.maxResultBytes = 4
        let counts = try Simulator(configuration: configuration).run(Gates.bell(), options: RunOptions(shots: 1000, seed: 1)).counts
        #expect(Set(counts.keys) == ["00", "11"])
        configuration.maxResultBytes = 3
        #expect(throws: SimulationError.resultTooLarge(outcomes: 1, keyBytes: 2, limitBytes: 3)) {
            try Simulator(configuration: configuration).run(Gates.bell(), options: RunOptions(shots: 1000, seed: 1))
        }
    }

    @Test func branchingProgramsAreBoundedToo() throws {
        // Mid-circuit measurements with classical control: counts come from several branches.
        let circuit = DynamicTests.teleport(theta: 1.7)
        var configuration = SimulatorConfiguration()
        configuration.maxResultBytes = 4  // one 4-character key ("o mm")
        #expect(throws: SimulationError.resultTooLarge(outcomes: 1, keyBytes: 4, limitBytes: 4)) {
            try Simulator(configuration: configuration).run(circuit, options: RunOptions(shots: 1000, seed: 1))
        }
        configuration.maxResultBytes = 1 << 20
        let counts = try Simulator(configuration: configuration).run(circuit, options: RunOptions(shots: 1000, seed: 1)).counts
        #expect(counts.count > 1)
    }
}
