import Testing
@testable import QASM

/// The closed-form library matrices must equal the include files' own text definitions.
@Suite struct StandardLibraryTests {
    /// stdgates.inc as the OpenQASM 3 specification gives it (the published file's `a, v` typo in CX fixed).
    static let stdgatesText = """
    gate p(λ) a { ctrl @ gphase(λ) a; }
    gate x a { U(π, 0, π) a; }
    gate y a { U(π, π/2, π/2) a; }
    gate z a { p(π) a; }
    gate h a { U(π/2, 0, π) a; }
    gate s a { pow(1/2) @ z a; }
    gate sdg a { inv @ pow(1/2) @ z a; }
    gate t a { pow(1/2) @ s a; }
    gate tdg a { inv @ pow(1/2) @ s a; }
    gate sx a { pow(1/2) @ x a; }
    gate rx(θ) a { U(θ, -π/2, π/2) a; }
    gate ry(θ) a { U(θ, 0, 0) a; }
    gate rz(λ) a { gphase(-λ/2); U(0, 0, λ) a; }
    gate cx a, b { ctrl @ x a, b; }
    gate cy a, b { ctrl @ y a, b; }
    gate cz a, b { ctrl @ z a, b; }
    gate cp(λ) a, b { ctrl @ p(λ) a, b; }
    gate crx(θ) a, b { ctrl @ rx(θ) a, b; }
    gate cry(θ) a, b { ctrl @ ry(θ) a, b; }
    gate crz(θ) a, b { ctrl @ rz(θ) a, b; }
    gate ch a, b { ctrl @ h a, b; }
    gate swap a, b { cx a, b; cx b, a; cx a, b; }
    gate ccx a, b, c { ctrl @ ctrl @ x a, b, c; }
    gate cswap a, b, c { ctrl @ swap a, b, c; }
    gate cu(θ, φ, λ, γ) a, b { p(γ) a; ctrl @ U(θ, φ, λ) a, b; }
    gate CX a, b { ctrl @ U(π, 0, π) a, b; }
    gate phase(λ) q { U(0, 0, λ) q; }
    gate cphase(λ) a, b { ctrl @ phase(λ) a, b; }
    gate id a { U(0, 0, 0) a; }
    gate u1(λ) q { U(0, 0, λ) q; }
    gate u2(φ, λ) q { gphase(-(φ+λ)/2); U(π/2, φ, λ) q; }
    gate u3(θ, φ, λ) q { gphase(-(φ+λ)/2); U(θ, φ, λ) q; }
    """

    static let qelib1Text = """
    gate u3(theta,phi,lambda) q { U(theta,phi,lambda) q; }
    gate u2(phi,lambda) q { U(pi/2,phi,lambda) q; }
    gate u1(lambda) q { U(0,0,lambda) q; }
    gate cx c,t { CX c,t; }
    gate id a { U(0,0,0) a; }
    gate x a { u3(pi,0,pi) a; }
    gate y a { u3(pi,pi/2,pi/2) a; }
    gate z a { u1(pi) a; }
    gate h a { u2(0,pi) a; }
    gate s a { u1(pi/2) a; }
    gate sdg a { u1(-pi/2) a; }
    gate t a { u1(pi/4) a; }
    gate tdg a { u1(-pi/4) a; }
    gate rx(theta) a { u3(theta,-pi/2,pi/2) a; }
    gate ry(theta) a { u3(theta,0,0) a; }
    gate rz(phi) a { u1(phi) a; }
    gate cz a,b { h b; cx a,b; h b; }
    gate cy a,b { sdg b; cx a,b; s b; }
    gate ch a,b { h b; sdg b; cx a,b; h b; t b; cx a,b; t b; h b; s b; x b; s a; }
    gate ccx a,b,c { h c; cx b,c; tdg c; cx a,c; t c; cx b,c; tdg c; cx a,c; t b; t c; h c; cx a,b; t a; tdg b; cx a,b; }
    gate crz(lambda) a,b { u1(lambda/2) b; cx a,b; u1(-lambda/2) b; cx a,b; }
    gate cu1(lambda) a,b { u1(lambda/2) a; cx a,b; u1(-lambda/2) b; cx a,b; u1(lambda/2) b; }
    gate cu3(theta,phi,lambda) c, t { u1((lambda-phi)/2) t; cx c,t; u3(-theta/2,0,-(phi+lambda)/2) t; cx c,t; u3(theta/2,phi,0) t; }
    """

    static let samples: [(name: String, parameters: Int, qubits: Int)] = [
        ("p", 1, 1), ("x", 0, 1), ("y", 0, 1), ("z", 0, 1), ("h", 0, 1), ("s", 0, 1), ("sdg", 0, 1), ("t", 0, 1),
        ("tdg", 0, 1), ("sx", 0, 1), ("rx", 1, 1), ("ry", 1, 1), ("rz", 1, 1), ("cx", 0, 2), ("cy", 0, 2), ("cz", 0, 2),
        ("cp", 1, 2), ("crx", 1, 2), ("cry", 1, 2), ("crz", 1, 2), ("ch", 0, 2), ("swap", 0, 2), ("ccx", 0, 3),
        ("cswap", 0, 3), ("cu", 4, 2), ("CX", 0, 2), ("phase", 1, 1), ("cphase", 1, 2), ("id", 0, 1), ("u1", 1, 1),
        ("u2", 2, 1), ("u3", 3, 1),
    ]

    static func application(_ name: String, parameters: Int, qubits: Int) -> String {
        let values = [0.7, -1.3, 2.1, 0.45].prefix(parameters).map { "\($0)" }.joined(separator: ", ")
        let operands = (0..<qubits).reversed().map { "q[\($0)]" }.joined(separator: ", ")
        return "qubit[\(qubits)] q;\n\(name)\(parameters > 0 ? "(\(values))" : "") \(operands);\n"
    }

    @Test(arguments: samples.map(\.name))
    func stdgatesMatchTheSpecificationExactly(_ name: String) throws {
        guard let sample = Self.samples.first(where: { $0.name == name }) else { return }
        let call = Self.application(name, parameters: sample.parameters, qubits: sample.qubits)
        let library = try compiled("OPENQASM 3.0;\ninclude \"stdgates.inc\";\n" + call)
        let spec = try compiled("OPENQASM 3.0;\n" + Self.stdgatesText + "\n" + call)
        #expect(maxDifference(unitary(of: library), unitary(of: spec)) < 1e-12, "\(name)")
    }

    @Test(arguments: ["u3", "u2", "u1", "cx", "id", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "rx", "ry", "rz",
                      "cz", "cy", "ch", "ccx", "crz", "cu1", "cu3"])
    func qelib1MatchesItsDefinitionsUpToGlobalPhase(_ name: String) throws {
        let counts: [String: (Int, Int)] = [
            "u3": (3, 1), "u2": (2, 1), "u1": (1, 1), "cx": (0, 2), "id": (0, 1), "rx": (1, 1), "ry": (1, 1),
            "rz": (1, 1), "cz": (0, 2), "cy": (0, 2), "ch": (0, 2), "ccx": (0, 3), "crz": (1, 2), "cu1": (1, 2), "cu3": (3, 2),
        ]
        let (parameters, qubits) = counts[name] ?? (0, 1)
        let call = Self.application(name, parameters: parameters, qubits: qubits).replacingOccurrences(of: "qubit[\(qubits)] q;", with: "qreg q[\(qubits)];")
        let library = try compiled("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n" + call)
        let text = try compiled("OPENQASM 2.0;\n" + Self.qelib1Text + "\n" + call)
        #expect(maxDifferenceUpToPhase(unitary(of: library), unitary(of: text)) < 1e-12, "\(name)")
    }

    @Test func controlledGatesKeepControlsSeparate() throws {
        let circuit = try compiled("OPENQASM 3; include \"stdgates.inc\"; qubit[3] q; cx q[0], q[1]; ccx q[0], q[1], q[2]; cp(0.3) q[2], q[0]; cswap q[0], q[1], q[2];")
        let gates = circuit.instructions.compactMap { instruction -> GateApplication? in
            if case .gate(let g) = instruction { return g } else { return nil }
        }
        #expect(gates.map { $0.targets } == [[1], [2], [0], [1, 2]])
        #expect(gates.map { $0.controls } == [[0], [0, 1], [2], [0]])
        #expect(gates.map { $0.matrix.qubitCount } == [1, 1, 1, 2])
        #expect(gates[0].matrix.elements == GateMatrices.x)
    }

    @Test func standardMatricesHaveExactZeros() throws {
        let circuit = try compiled("OPENQASM 3; include \"stdgates.inc\"; qubit q; x q; h q; rz(0.2) q; rx(pi) q;")
        for case .gate(let g) in circuit.instructions where g.name == "x" || g.name == "rz" {
            #expect(g.matrix.elements[1] == .zero || g.matrix.elements[0] == .zero)
        }
        guard case .gate(let rx) = circuit.instructions[3] else { Issue.record("no rx"); return }
        #expect(rx.matrix.elements[0] == .zero && rx.matrix.elements[3] == .zero)
    }
}
