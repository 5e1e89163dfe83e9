#if canImport(Glibc)
import CircuitTestSupport
import Glibc
#else
import Darwin
#endif
import Testing
@testable import QASM

/// Gates whose parameters are computed from measurements: every form must equal the compile-time gate.
@Suite struct RuntimeGateTests {
    static let header = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"
    static let qelib1Header = "OPENQASM 3.0;\ninclude \"qelib1.inc\";\n"

    @Test func angleChosenByAMeasurement() throws {
        let source = Self.header + """
        qubit[2] q; bit[2] c;
        h q[0]; c[0] = measure q[0];
        float[64] theta = 0.5;
        if (c[0]) theta = pi;
        rx(theta) q[1];
        c[1] = measure q[1];
        """
        let circuit = try compiled(source)
        #expect(circuit.instructions.contains { if case .runtimeGate = $0 { true } else { false } })
        // c[0] = 0: rx(0.5) gives 1 with sin²(0.25); c[0] = 1: rx(π) flips q[1] for sure.
        let s = sin(0.25)
        expectDistribution(try ReferenceSimulator.distribution(circuit),
                           ["00": 0.5 * (1 - s * s), "10": 0.5 * s * s, "11": 0.5])
    }

    @Test func runtimeIntegerDivisionInAGateParameterIsReal() throws {
        // n/2 with n = 1 is 0.5 inside a gate parameter (as at compile time), so rx(π/2): one half each.
        let source = Self.header + """
        qubit[2] q; bit[2] c; int n = 0;
        x q[0]; c[0] = measure q[0];
        if (c[0]) n = 1;
        rx(n / 2 * pi) q[1];
        c[1] = measure q[1];
        """
        expectDistribution(try distribution(source), ["01": 0.5, "11": 0.5])
    }

    @Test func bitsCanBeAnglesDirectly() throws {
        let source = Self.header + "qubit[2] q; bit[2] c;\nh q[0]; c[0] = measure q[0];\nry(c[0] * pi) q[1];\nc[1] = measure q[1];"
        expectDistribution(try distribution(source), ["00": 0.5, "11": 0.5])
    }

    /// Every parameterised library gate: the run-time form, evaluated, is the compile-time matrix (phase included).
    static let parameterised: [String] = {
        var names = StandardLibrary.stdgates.filter { $0.parameterCount > 0 }.map { "stdgates:" + $0.name }
        names += StandardLibrary.qelib1.filter { $0.parameterCount > 0 }.map { "qelib1:" + $0.name }
        return names + ["builtin:U"]
    }()

    @Test(arguments: parameterised)
    func runtimeFormEqualsCompileTimeMatrix(_ qualifiedName: String) throws {
        let parts = qualifiedName.split(separator: ":").map(String.init)
        let library = parts[0] == "stdgates" ? StandardLibrary.stdgates : parts[0] == "qelib1" ? StandardLibrary.qelib1 : [StandardLibrary.builtinU]
        let gate = try #require(library.first { $0.name == parts[1] })
        let build = try #require(gate.runtimeBuild, "\(qualifiedName) has no run-time form")
        let parameters = Array([0.37, -1.21, 2.53, 0.71].prefix(gate.parameterCount))
        let runtime = try build(parameters.map { .constant(.float($0)) }).map { operation -> GateOperation in
            switch operation {
            case .runtimeUnitary(let r):
                let g = try r.resolved(bit: { _ in false }, variables: [])
                return .unitary(.init(name: g.name, matrix: g.matrix, targets: g.targets, controls: g.controls, controlValues: g.controlValues))
            case .runtimePhase(let e):
                return .phase(try e.evaluate(bit: { _ in false }, variables: []).asDouble)
            default:
                return operation
            }
        }
        let qubits = Array(0..<gate.qubitCount)
        #expect(maxDifference(MatrixMath.dense(runtime, qubits: qubits), MatrixMath.dense(gate.build(parameters), qubits: qubits)) < 1e-12)
    }

    /// A program whose angle is set from a measurement that always gives 1, and the same program with the
    /// angle written as a literal: the final states must agree exactly (global phase included).
    /// The final state with θ computed at run time and with θ written out, to compare.
    static func finalStates(_ body: String, theta: String, header: String = header) throws -> (dynamic: [Complex], fixed: [Complex]) {
        (try finalState(body, theta: theta, runtime: true, header: header), try finalState(body, theta: theta, runtime: false, header: header))
    }

    static func finalState(_ body: String, theta: String, runtime: Bool, header: String = header) throws -> [Complex] {
        let setup = runtime ? "float[64] theta = 0.1;\nif (c) theta = \(theta);" : "float[64] theta = \(theta);"
        let source = header + """
        qubit[4] q; bit c;
        x q[0]; c = measure q[0];
        \(setup)
        h q[1]; h q[2]; ry(0.4) q[3];
        \(body)
        """
        let circuit = try compiled(source)
        if runtime {
            #expect(circuit.instructions.contains { $0.isRuntimeGate }, "\(body)")
        }
        let branches = try ReferenceSimulator(circuit: circuit).run()
        try #require(branches.count == 1)
        return branches[0].amplitudes
    }

    static let modifierCases = [
        "gate g(a) x, y { rx(a) x; cp(a / 2) x, y; u3(a, 2 * a, -a) y; } g(theta) q[1], q[2];",
        "inv @ u3(theta, 0.3, theta + 1) q[1];",
        "inv @ ctrl @ rz(theta) q[1], q[2];",
        "ctrl(2) @ rx(theta) q[1], q[0], q[2];",
        "negctrl @ ry(theta) q[1], q[3];",
        "pow(3) @ rx(theta) q[2]; pow(-2) @ u2(theta, 1) q[1];",
        "ctrl @ gphase(theta) q[1]; negctrl @ gphase(2 * theta) q[2];",
        "gate w(a, b) x { gphase(a); U(a, b, 0.5) x; } ctrl @ w(theta, 1) q[2], q[3]; inv @ ctrl @ w(1, theta) q[1], q[2];",
        "cu(theta, 0.2, -0.4, theta / 3) q[1], q[3]; crz(theta) q[3], q[2]; cp(theta) q[1], q[2];",
        "U(theta, theta, theta) q[3]; u2(theta, 0.25) q[2]; p(theta) q[1]; cphase(theta) q[1], q[2];",
        "gate inner(a) x { rz(a) x; } gate outer(a) x, y { inner(a * 2) x; cx x, y; inner(-a) y; } outer(theta) q[1], q[2];",
        "gate twice(a) x { float b = a; rx(b) x; b = 2 * a; rx(b) x; } twice(theta) q[3];",
        "for int i in [1:3] { rx(theta * i) q[i]; }",
        "def turn(float a, qubit r) { rx(a) r; ry(a / 3) r; } turn(theta, q[1]); turn(2 * theta, q[3]);",
        "pow(0.5) @ rx(theta) q[1]; pow(-1.5) @ u3(theta, 0.4, 2) q[2]; pow(1/3) @ p(theta) q[3];",
        "inv @ pow(0.3) @ u2(theta, 1) q[1]; pow(0.5) @ inv @ ry(theta) q[2]; pow(0.5) @ pow(0.5) @ rz(theta) q[3];",
        "pow(0.25) @ ctrl @ rx(theta) q[1], q[2]; ctrl @ pow(0.7) @ U(theta, 1, theta) q[3], q[1]; pow(0.5) @ cu(theta, 1, 2, 0.5) q[2], q[3];",
        "gate g(a) x { pow(0.5) @ rx(a) x; } inv @ g(theta) q[1]; negctrl @ g(2 * theta) q[2], q[3];",
    ]

    @Test(arguments: modifierCases)
    func runtimeGateEqualsStaticGate(_ body: String) throws {
        let (dynamic, fixed) = try Self.finalStates(body, theta: "1.234")
        #expect(maxDifference(dynamic, fixed) < 1e-12, "\(body)")
    }

    @Test func qelib1RotationsTakeRuntimeAngles() throws {
        let body = "rxx(theta) q[1], q[2]; ryy(theta / 2) q[2], q[3]; rzz(theta) q[3], q[1]; cu3(theta, 1, 2) q[1], q[2]; u3(1, theta, 2) q[3];"
        let (dynamic, fixed) = try Self.finalStates(body, theta: "0.9", header: Self.qelib1Header)
        #expect(maxDifference(dynamic, fixed) < 1e-12)
    }

    @Test func uncontrolledRuntimeGlobalPhaseOnlyChangesThePhase() throws {
        let (dynamic, fixed) = try Self.finalStates("gphase(theta); rx(theta) q[1];", theta: "0.8")
        #expect(maxDifferenceUpToPhase(dynamic, fixed) < 1e-12)
    }

    /// Fractional powers of several operations with run-time angles: the product is multiplied out and raised
    /// per branch, and must equal the static gate (same qubits, same phase) to rounding.
    static let blockCases = [
        "gate g(t) a, b { rx(t) a; cx a, b; } pow(0.5) @ g(theta) q[1], q[2];",
        "gate g(t) a, b { rx(t) a; cx a, b; } pow(1/3) @ g(theta) q[2], q[3]; inv @ pow(0.5) @ g(theta) q[3], q[1];",
        "gate g(t) a, b { rx(t) a; cx a, b; } ctrl @ pow(0.5) @ g(theta) q[1], q[2], q[3]; negctrl @ pow(0.25) @ inv @ g(theta) q[3], q[1], q[2];",
        "gate g(t) a, b { rx(t) a; cx a, b; } pow(0.5) @ ctrl @ g(theta) q[1], q[2], q[3]; pow(0.5) @ pow(0.5) @ g(theta) q[2], q[1];",
        "gate g(t) a, b { rx(t) a; cx a, b; } pow(3) @ pow(0.5) @ g(theta) q[1], q[2]; pow(-2) @ pow(0.3) @ g(theta) q[3], q[2];",
        "gate two(a) x { rx(a) x; rz(a) x; } pow(0.5) @ two(theta) q[1]; ctrl(2) @ pow(-0.4) @ two(2 * theta) q[1], q[2], q[3];",
        "gate t3(a) x, y, z { ccx x, y, z; rz(a) z; crx(a) x, y; gphase(a / 3); } pow(0.7) @ t3(theta) q[1], q[2], q[3]; ctrl @ pow(0.5) @ t3(theta) q[2], q[1], q[3], q[0];",
        "gate g(t) a, b { rx(t) a; cx a, b; } gate h2(a) x, y { pow(0.5) @ g(a) x, y; ry(a) y; } pow(0.5) @ h2(theta) q[1], q[2]; ctrl @ h2(theta) q[3], q[1], q[2];",
        "ctrl @ pow(0.5) @ gphase(theta) q[1]; negctrl(2) @ pow(1/3) @ gphase(2 * theta) q[2], q[3]; ctrl @ inv @ pow(0.25) @ gphase(theta) q[3];",
        "gate w(a) x { pow(0.5) @ gphase(a); rx(a) x; } ctrl @ w(theta) q[1], q[2]; pow(0.5) @ w(theta) q[3]; negctrl @ pow(0.5) @ w(theta) q[2], q[1];",
    ]

    @Test(arguments: blockCases)
    func fractionalPowerOfRuntimeOperationsEqualsStaticGate(_ body: String) throws {
        // θ = 3.1 puts rx(θ)'s eigenvalues near −1, where a wrong branch of the power would show.
        for theta in ["1.234", "3.1"] {
            let (dynamic, fixed) = try Self.finalStates(body, theta: theta)
            #expect(maxDifference(dynamic, fixed) < 1e-12, "\(body) θ = \(theta)")
        }
        let circuit = try compiled(Self.header + "qubit[4] q; bit c; c = measure q[0]; float[64] theta = 0.1; if (c) theta = 2;\n" + body)
        #expect(circuit.instructions.contains { if case .runtimeBlock = $0 { true } else { false } }, "\(body)")
    }

    @Test func qelib1RotationsUnderFractionalPowers() throws {
        let body = "pow(0.5) @ rzz(theta) q[1], q[2]; pow(1/3) @ ryy(theta) q[2], q[3]; inv @ pow(0.5) @ rxx(theta) q[3], q[1]; ctrl @ pow(1/3) @ rzz(theta) q[3], q[1], q[2]; ctrl @ pow(0.5) @ cu3(theta, 1, 2) q[1], q[2], q[3];"
        let (dynamic, fixed) = try Self.finalStates(body, theta: "0.9", header: Self.qelib1Header)
        #expect(maxDifference(dynamic, fixed) < 1e-12)
    }

    @Test func uncontrolledFractionalPowerOfRuntimeGlobalPhaseOnlyChangesThePhase() throws {
        let body = "pow(0.5) @ gphase(theta); inv @ pow(1/3) @ gphase(theta); rx(theta) q[1];"
        let (dynamic, fixed) = try Self.finalStates(body, theta: "0.8")
        #expect(maxDifferenceUpToPhase(dynamic, fixed) < 1e-12)
    }

    @Test func modifiersOfABareGlobalPhaseChangeItsAngle() throws {
        // pow(0.5) @ gphase(1) = gphase(0.5), inv @ gphase(0.3) = gphase(−0.3), pow(2) @ gphase(0.1) = gphase(0.2).
        let state = try ReferenceSimulator.statevector(try compiled("OPENQASM 3.0;\nqubit q;\npow(0.5) @ gphase(1); inv @ gphase(0.3); pow(2) @ gphase(0.1);"))
        #expect(maxDifference(state, [Complex.phase(0.4), .zero]) < 1e-12)
    }

    @Test func denseLimitCountsOnlyQubitsInsideSharedControls() throws {
        // Three shared controls stay outside the matrix, so 7 qubits need only a 4-qubit power (as at compile time).
        let gate = "gate g4(a) w, x, y, z { rx(a) w; cx w, x; cx x, y; crz(a) y, z; }\n"
        func program(_ runtime: Bool) -> String {
            Self.header + gate + "qubit[8] q; bit c; x q[0]; c = measure q[0]; "
                + (runtime ? "float[64] t = 0.1; if (c) t = 1.3;" : "float[64] t = 1.3;")
                + "\nh q; pow(0.5) @ ctrl(3) @ g4(t) q[1], q[2], q[3], q[4], q[5], q[6], q[7];"
        }
        let dynamic = try ReferenceSimulator(circuit: try compiled(program(true))).run()
        let fixed = try ReferenceSimulator(circuit: try compiled(program(false))).run()
        try #require(dynamic.count == 1 && fixed.count == 1)
        #expect(maxDifference(dynamic[0].amplitudes, fixed[0].amplitudes) < 1e-12)
    }

    @Test func fractionalPowerOfTooManyRuntimeQubitsIsRefused() {
        let gate = "gate big(a) q0, q1, q2, q3, q4, q5, q6 { rx(a) q0; cx q0, q1; cx q1, q2; cx q2, q3; cx q3, q4; cx q4, q5; cx q5, q6; }"
        let d = failure(Self.header + gate + "\nqubit[7] q; bit c; float t = 0; c = measure q[0]; if (c) t = 1;\nh q[1];  pow(0.5) @ big(t) q[0], q[1], q[2], q[3], q[4], q[5], q[6];")
        #expect(d?.kind == .limit && d?.line == 5 && d?.column == 10, "\(String(describing: d))")
        #expect(d?.message.contains("too large") == true)
    }

    @Test func gateBodiesCannotBranchOnRuntimeParameters() {
        let d = failure(Self.header + "gate g(a) x { if (a > 1) { x x; } }\nqubit q; bit c; float t = 0; c = measure q; if (c) t = 2;\ng(t) q;")
        #expect(d?.kind == .unsupported && d?.line == 3 && d?.column == 21, "\(String(describing: d))")
        #expect(d?.message.contains("run time") == true)
    }

    @Test func runtimeAngleThatIsNotFiniteFailsWhenEvaluated() throws {
        let circuit = try compiled(Self.header + "qubit q; bit c; float t = 0; x q; c = measure q; if (c) t = 1;\nrx(t / 0.0) q;")
        #expect(throws: ClassicalEvaluationError.self) { try ReferenceSimulator(circuit: circuit).run() }
    }
}

extension Instruction {
    var isRuntimeGate: Bool {
        switch self {
        case .runtimeGate, .runtimeBlock: return true
        default: return false
        }
    }
}
