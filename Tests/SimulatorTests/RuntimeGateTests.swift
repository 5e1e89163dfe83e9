import QASM
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Testing
@testable import Simulator

/// Gates with angles computed from measurements, and `end;` in measurement-dependent branches, end to end.
@Suite struct RuntimeGateTests {
    static let header = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"

    static func compile(_ source: String) throws -> Circuit { try QASMCompiler.compile(source) }

    /// The issue's example: θ = 0.5, or π when the first qubit measured 1.
    static let example = header + """
    qubit[2] q; bit[2] c;
    h q[0]; c[0] = measure q[0];
    float[64] theta = 0.5;
    if (c[0]) theta = pi;
    rx(theta) q[1];
    c[1] = measure q[1];
    """

    @Test func exampleExactDistribution() throws {
        let probabilities = try Simulator().probabilities(try Self.compile(Self.example))
        let s = sin(0.25)
        let expected = ["00": 0.5 * (1 - s * s), "10": 0.5 * s * s, "11": 0.5]
        for key in Set(expected.keys).union(probabilities.keys) {
            #expect(abs((probabilities[key] ?? 0) - (expected[key] ?? 0)) < 1e-12, "\(key)")
        }
    }

    @Test func exampleSampledCountsFollowTheDistribution() throws {
        let s = sin(0.25)
        let expected = ["00": 0.5 * (1 - s * s), "10": 0.5 * s * s, "11": 0.5]
        let shots = 20_000
        let result = try Simulator().run(try Self.compile(Self.example), options: RunOptions(shots: shots, seed: 5))
        #expect(result.counts.values.reduce(0, +) == shots)
        #expect(result.counts["01"] == nil)
        #expect(chiSquareAcceptable(counts: result.counts, expected: expected, shots: shots))
    }

    /// Twelve qubits with small chunks and fusion on: each run-time gate (set by a measurement that always
    /// gives 1) must act exactly like the same gate with the angle written out, wherever its qubits are.
    static let bodies = [
        "rx(theta) q[11]; h q[11]; ry(theta) q[0];",
        "ctrl @ u3(theta, 0.2, theta / 2) q[10], q[3]; cp(theta) q[2], q[9];",
        "h q[5]; rz(theta) q[5]; h q[5]; negctrl(2) @ rx(theta) q[1], q[7], q[11];",
        "gate g(a) x, y { rx(a) x; cx x, y; rz(-a) y; } g(theta) q[8], q[1]; inv @ g(theta) q[11], q[4];",
        "ctrl @ gphase(theta) q[6]; pow(2) @ ry(theta) q[7];",
        "pow(0.5) @ ctrl @ rx(theta) q[3], q[9]; inv @ pow(1.5) @ u3(theta, 1, 2) q[10];",
        "gate g(a) x, y { rx(a) x; cx x, y; } pow(0.5) @ g(theta) q[11], q[2]; ctrl @ pow(1/3) @ g(theta) q[4], q[9], q[0];",
        "gate t3(a) x, y, z { ccx x, y, z; rz(a) z; crx(a) x, y; } pow(0.7) @ t3(theta) q[10], q[1], q[6]; negctrl @ pow(0.5) @ gphase(theta) q[5];",
    ]

    static func source(_ body: String, runtime: Bool) -> String {
        let setup = runtime ? "float[64] theta = 0.1;\nif (c) theta = 2.345;" : "float[64] theta = 2.345;"
        return header + """
        qubit[12] q; bit c; bit[12] out;
        x q[0]; c = measure q[0];
        \(setup)
        for int i in [1:11] { h q[i]; }
        for int i in [1:10] { cx q[i], q[i + 1]; }
        \(body)
        for int i in [1:11] { ry(0.1 * i) q[i]; }
        out = measure q;
        """
    }

    @Test(arguments: bodies)
    func runtimeGateMatchesStaticGateOnLargerStates(_ body: String) throws {
        let simulator = Simulator(configuration: SimulatorConfiguration(threads: 2), chunkQubits: 5, parallelQubits: 6)
        let dynamic = try simulator.probabilities(try Self.compile(Self.source(body, runtime: true)))
        let fixed = try simulator.probabilities(try Self.compile(Self.source(body, runtime: false)))
        #expect(totalVariation(dynamic, fixed) < 1e-12, "\(body)")
        #expect(abs(dynamic.values.reduce(0, +) - 1) < 1e-12)
    }

    @Test func replayedBranchesEvaluateTheirAnglesAgain() throws {
        // Two measurements feed the angles, then more gates: with room for one state only, every split branch
        // is rebuilt by replay, which must evaluate each run-time gate with that branch's bits.
        let source = Self.header + """
        qubit[3] q; bit[3] c; float t = 0.3;
        h q[0]; h q[1];
        c[0] = measure q[0];
        if (c[0]) t = 2.1;
        ry(t) q[2]; crx(t * 2) q[2], q[1];
        c[1] = measure q[1];
        if (c[1]) { t += 0.5; end; }
        rz(t) q[2]; h q[2];
        c[2] = measure q[2];
        """
        let circuit = try Self.compile(source)
        let options = RunOptions(shots: 4000, seed: 17)
        let roomy = try Simulator().run(circuit, options: options)
        var tight = SimulatorConfiguration()
        tight.memoryBudgetBytes = StateBuffer.byteCount(qubits: 3)
        #expect(try Simulator(configuration: tight).run(circuit, options: options).counts == roomy.counts)
        #expect(chiSquareAcceptable(counts: roomy.counts, expected: try Simulator().probabilities(circuit), shots: 4000))
    }

    @Test func runtimeGatesAreFusionBoundaries() throws {
        let source = Self.header + "qubit q; bit c; float t = 0; x q; c = measure q; if (c) t = pi;\nh q; ry(t) q; h q; c = measure q;"
        let program = try ProgramBuilder.build(try Self.compile(source))
        let tail = program.operations.suffix(4)
        guard tail.count == 4, case .unitary(let before) = tail[tail.startIndex], case .runtimeGate = tail[tail.startIndex + 1],
              case .unitary(let after) = tail[tail.startIndex + 2], case .measure = tail[tail.startIndex + 3] else {
            Issue.record("unexpected layout: \(program.operations)")
            return
        }
        #expect(program.blocks[before].gates.count == 1 && program.blocks[after].gates.count == 1)
        // h · ry(π) · h = −ry(π) takes |1⟩ to |0⟩ (without the run-time gate, |1⟩ would stay).
        #expect(abs(try Simulator().probabilities(try Self.compile(source))["0", default: 0] - 1) < 1e-12)
    }

    @Test func anglesChangingInARuntimeLoopAreEvaluatedEachIteration() throws {
        // Three turns of π/6, 2π/6, 3π/6 add up to ry(π) when the first qubit measured 1; nothing otherwise.
        let source = Self.header + """
        qubit[2] q; bit[2] c; float t = 0; int n = 0;
        h q[0]; c[0] = measure q[0];
        while (n < 3 && c[0] == 1) { t += pi / 6; ry(t) q[1]; n += 1; }
        c[1] = measure q[1];
        """
        let probabilities = try Simulator().probabilities(try Self.compile(source))
        #expect(abs(probabilities["11", default: 0] - 0.5) < 1e-12)
        #expect(abs(probabilities["00", default: 0] - 0.5) < 1e-12)
    }

    // MARK: fractional powers of several run-time operations

    /// Fractional powers of blocks with run-time angles, and of run-time `gphase` under control.
    static let blockBodies = [
        "gate g(a) x, y { rx(a) x; cx x, y; } pow(0.5) @ g(theta) q[1], q[2];",
        "gate g(a) x, y { rx(a) x; cx x, y; } pow(1/3) @ g(theta) q[2], q[3];",
        "gate g(a) x, y { rx(a) x; cx x, y; } inv @ pow(0.5) @ g(theta) q[3], q[1];",
        "gate g(a) x, y { rx(a) x; cx x, y; } ctrl @ pow(0.5) @ g(theta) q[1], q[2], q[3];",
        "gate zz(a) x, y { cx x, y; rz(a) y; cx x, y; } h q[2]; pow(0.5) @ zz(theta) q[2], q[3]; h q[2]; h q[3];",
        "ctrl @ pow(0.5) @ gphase(theta) q[1]; negctrl @ pow(1/3) @ gphase(theta) q[2]; h q[1]; h q[2];",
    ]

    /// θ = 0.7, or 2.1 when the first qubit (in superposition) measured 1.
    static func branchSource(_ body: String, fixed c: Int?) -> String {
        let setup = switch c {
        case nil: "h q[0]; c = measure q[0];\nfloat[64] theta = 0.7;\nif (c) theta = 2.1;"
        case 0?: "c = measure q[0];\nfloat[64] theta = 0.7;"
        default: "x q[0]; c = measure q[0];\nfloat[64] theta = 2.1;"
        }
        return header + """
        qubit[4] q; bit c; bit[3] out;
        \(setup)
        h q[1]; ry(0.4) q[2]; rx(1.1) q[3];
        \(body)
        out = measure q[1:3];
        """
    }

    @Test(arguments: blockBodies)
    func fractionalPowerOfRuntimeOperationsMatchesStaticProgramInEachBranch(_ body: String) throws {
        let circuit = try Self.compile(Self.branchSource(body, fixed: nil))
        #expect(circuit.instructions.contains { if case .runtimeBlock = $0 { true } else { false } }, "\(body)")
        let dynamic = try Simulator().probabilities(circuit)
        // Each outcome of c is half the shots; within it, the static program with that angle written out.
        var expected: [String: Double] = [:]
        for c in [0, 1] {
            for (key, p) in try Simulator().probabilities(try Self.compile(Self.branchSource(body, fixed: c))) {
                expected[key, default: 0] += 0.5 * p
            }
        }
        #expect(Set(dynamic.keys.filter { dynamic[$0]! > 1e-15 }).isSubset(of: Set(expected.keys)))
        for (key, p) in expected {
            #expect(abs(dynamic[key, default: 0] - p) < 1e-12, "\(body) \(key)")
        }
    }

    @Test func fractionalPowerOfRuntimeOperationsSampledAndReplayed() throws {
        let circuit = try Self.compile(Self.branchSource(Self.blockBodies[3] + " pow(0.5) @ g(theta) q[2], q[3];", fixed: nil))
        let options = RunOptions(shots: 20_000, seed: 23)
        let roomy = try Simulator().run(circuit, options: options)
        #expect(roomy.counts.values.reduce(0, +) == 20_000)
        #expect(chiSquareAcceptable(counts: roomy.counts, expected: try Simulator().probabilities(circuit), shots: 20_000))
        // Room for one state only: the split branch is rebuilt by replay, which evaluates the block again.
        var tight = SimulatorConfiguration()
        tight.memoryBudgetBytes = StateBuffer.byteCount(qubits: 4)
        #expect(try Simulator(configuration: tight).run(circuit, options: options).counts == roomy.counts)
    }

    @Test func runtimeBlocksAreFusionBoundaries() throws {
        let source = Self.header + """
        gate g(a) x, y { rx(a) x; cx x, y; }
        qubit[2] q; bit c; float t = 0; x q[0]; c = measure q[0]; if (c) t = pi;
        h q[1]; pow(0.5) @ g(t) q[0], q[1]; h q[1]; c = measure q[1];
        """
        let program = try ProgramBuilder.build(try Self.compile(source))
        let operations = program.operations
        // The h before the block sits in an earlier unitary block (the parameter's capture lies in between).
        guard let i = operations.firstIndex(where: { if case .runtimeBlock = $0 { true } else { false } }),
              i + 2 < operations.count, case .unitary(let after) = operations[i + 1], case .measure = operations[i + 2],
              case .unitary(let before)? = operations[..<i].last(where: { if case .unitary = $0 { true } else { false } })
        else {
            Issue.record("unexpected layout: \(operations)")
            return
        }
        #expect(before != after && program.blocks[after].gates.count == 1)
    }

    @Test func runtimeBlocksHaveNoStateVector() throws {
        let circuit = try Self.compile(Self.branchSource(Self.blockBodies[0], fixed: nil))
        #expect(throws: SimulationError.self) { try Simulator().statevector(circuit) }
    }

    @Test func nonFiniteRuntimeAngleFailsTheRun() throws {
        let circuit = try Self.compile(Self.header + "qubit q; bit c; float t = 0; x q; c = measure q; if (c) t = 1; rx(t / 0.0) q;")
        #expect(throws: SimulationError.self) { try Simulator().run(circuit, options: RunOptions(shots: 10, seed: 1)) }
    }

    @Test func runtimeGatesHaveNoStateVector() throws {
        let circuit = try Self.compile(Self.example)
        #expect(throws: SimulationError.self) { try Simulator().statevector(circuit) }
    }

    // MARK: end

    static let endInBranch = header + """
    qubit[2] q; bit[2] c;
    h q[0]; c[0] = measure q[0];
    if (c[0]) end;
    x q[1]; c[1] = measure q[1];
    """

    @Test func endInABranchExactDistribution() throws {
        let probabilities = try Simulator().probabilities(try Self.compile(Self.endInBranch))
        #expect(probabilities.count == 2)
        #expect(abs(probabilities["01", default: 0] - 0.5) < 1e-12)
        #expect(abs(probabilities["10", default: 0] - 0.5) < 1e-12)
    }

    @Test func endInABranchSampledCounts() throws {
        let shots = 10_000
        let result = try Simulator().run(try Self.compile(Self.endInBranch), options: RunOptions(shots: shots, seed: 3))
        #expect(Set(result.counts.keys).isSubset(of: ["01", "10"]))
        #expect(result.counts.values.reduce(0, +) == shots)
        #expect(chiSquareAcceptable(counts: result.counts, expected: ["01": 0.5, "10": 0.5], shots: shots))
    }

    @Test func endInAProgramWithoutBitsStillMeasuresEveryQubit() throws {
        // No classical bits: every qubit is measured where the shot stops (here after x on q[0] only).
        let source = Self.header + "qubit[2] q;\ndef stop() { end; }\nx q[0];\nstop();\nx q[1];"
        let circuit = try Self.compile(source)
        #expect(try Simulator().probabilities(circuit) == ["01": 1])
        #expect(try Simulator().run(circuit, options: RunOptions(shots: 50, seed: 1)).counts == ["01": 50])
    }

    @Test func endInsideARuntimeLoop() throws {
        let source = Self.header + """
        qubit[2] q; bit[2] c; int n = 0;
        h q[0]; c[0] = measure q[0];
        while (c[0] == 0) {
          n += 1;
          if (n == 2) end;
          h q[0]; c[0] = measure q[0];
        }
        x q[1]; c[1] = measure q[1];
        """
        let circuit = try Self.compile(source)
        let probabilities = try Simulator().probabilities(circuit)
        #expect(abs(probabilities["11", default: 0] - 0.75) < 1e-12)
        #expect(abs(probabilities["00", default: 0] - 0.25) < 1e-12)
        let shots = 8000
        let counts = try Simulator().run(circuit, options: RunOptions(shots: shots, seed: 9)).counts
        #expect(Set(counts.keys).isSubset(of: ["11", "00"]))
        #expect(chiSquareAcceptable(counts: counts, expected: ["11": 0.75, "00": 0.25], shots: shots))
    }
}
