import CircuitTestSupport
import Testing
@testable import QASM

/// Headers, declarations, aliases, modifiers, broadcasting, measurement forms, timing and pragmas.
@Suite struct LanguageTests {
    static let header = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"

    func gates(_ circuit: Circuit) -> [GateApplication] {
        circuit.instructions.compactMap { if case .gate(let g) = $0 { g } else { nil } }
    }

    @Test(arguments: ["OPENQASM 3;", "OPENQASM 3.0;", "", "// comment first\nOPENQASM 3.1;"])
    func versionHeaders(_ header: String) throws {
        let circuit = try compiled(header + "\ninclude \"stdgates.inc\";\nqubit q; bit c; h q; c = measure q;")
        expectDistribution(try ReferenceSimulator.distribution(circuit), ["0": 0.5, "1": 0.5])
    }

    @Test func openQASM2Program() throws {
        let source = """
        OPENQASM 2.0;
        include "qelib1.inc";
        qreg q[2]; creg c[2];
        U(pi/2, 0, pi) q[0];
        CX q[0], q[1];
        measure q -> c;
        if (c == 3) x q[0];
        """
        let circuit = try compiled(source)
        #expect(circuit.registers == [ClassicalRegister(name: "c", offset: 0, size: 2)])
        expectDistribution(try ReferenceSimulator.distribution(circuit), ["00": 0.5, "11": 0.5])
    }

    @Test func opaqueIsRejected() {
        let d = failure("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nopaque magic a;\nqreg q[1];")
        #expect(d?.kind == .unsupported && d?.line == 3)
    }

    @Test func unknownIncludeIsRejected() {
        let d = failure("OPENQASM 3;\ninclude \"mygates.inc\";")
        #expect(d?.kind == .unsupported && d?.line == 2)
        #expect(d?.message.contains("mygates.inc") == true)
    }

    @Test func withoutIncludeOnlyBuiltinsExist() throws {
        _ = try compiled("OPENQASM 3; qubit[2] q; U(pi, 0, pi) q[0]; gphase(0.2); ctrl @ U(pi, 0, pi) q[0], q[1];")
        let d = failure("OPENQASM 3;\nqubit[2] q;\nCX q[0], q[1];")
        #expect(d?.kind == .undefinedName && d?.line == 3)
        let h = failure("OPENQASM 3;\nqubit q;\nh q;")
        #expect(h?.message.contains("stdgates.inc") == true)
    }

    @Test func classicalDeclarationsFoldAtCompileTime() throws {
        let source = Self.header + """
        const int n = 2 ** 3 - 6;
        int[8] wrapped = 250 + 10;
        uint[4] small = 17;
        float half = 1.0 / 2;
        angle[3] coarse = 3 * pi / 8;
        bool flag = n == 2 && !(small > 1);
        qubit[n] q;
        rx(wrapped) q[0];
        ry(small + half) q[1];
        rz(coarse) q[0];
        if (flag) x q[1];
        """
        let circuit = try compiled(source)
        #expect(circuit.qubitCount == 2)
        let g = gates(circuit)
        #expect(g.count == 4)
        #expect(abs(g[0].matrix.elements[0].re - GateMatrices.rx(4)[0].re) < 1e-15)
        #expect(abs(g[1].matrix.elements[0].re - GateMatrices.ry(1.5)[0].re) < 1e-15)
        // 3π/8 on a 3-bit grid (steps of π/4) rounds to π/2.
        #expect(maxDifference(g[2].matrix.elements, GateMatrices.rz(Double.pi / 2)) < 1e-15)
        #expect(g[3].name == "x")
    }

    @Test func castsAndBuiltinFunctions() throws {
        let source = Self.header + """
        qubit q;
        rx(sin(pi / 2) + cos(0) + tan(0) + arcsin(0) + arccos(1) + arctan(0)) q;
        rx(exp(0) + log(1) + sqrt(4) + ceiling(0.2) + floor(1.7)) q;
        rx(float(mod(7, 3)) + popcount(7) + rotl(1, 2) + rotr(4, 2)) q;
        rx(float(int(2.9)) + float(bool(5)) + float(uint[2](7))) q;
        """
        let g = gates(try compiled(source))
        let angles: [Double] = [2, 5, 1 + 3 + 4 + 1, 2 + 1 + 3]
        for (gate, angle) in zip(g, angles) {
            #expect(maxDifference(gate.matrix.elements, GateMatrices.rx(angle)) < 1e-12)
        }
    }

    @Test func constantsPiTauEuler() throws {
        let g = gates(try compiled(Self.header + "qubit q; rz(π + τ - tau + ℇ - euler) q;"))
        #expect(maxDifference(g[0].matrix.elements, GateMatrices.rz(Double.pi)) < 1e-15)
    }

    @Test func operatorPrecedence() throws {
        let source = Self.header + """
        const int a = 2 + 3 * 4;       // 14
        const int b = -2 ** 2;          // -4
        const int c = 1 << 2 + 1;       // 8
        const bool d = 1 + 1 == 2 && 3 > 2 || false;
        const int e = 7 & 3 | 8 ^ 1;    // (7&3) | (8^1) = 3 | 9 = 11
        const int f = 2 ** 3 ** 2;      // 512
        qubit q;
        rz(a + b + c + e + f + (d ? 0 : 0)) q;
        """
        // The ternary is not OpenQASM: this must fail, and the version without it must fold.
        #expect(failure(source) != nil)
        let g = gates(try compiled(source.replacingOccurrences(of: " + (d ? 0 : 0)", with: " + int(d)")))
        #expect(maxDifference(g[0].matrix.elements, GateMatrices.rz(14 - 4 + 8 + 11 + 512 + 1)) < 1e-9)
    }

    @Test func aliasesSlicesSetsAndConcatenation() throws {
        let source = Self.header + """
        qubit[4] q;
        let mid = q[1:2];
        let ends = q[{0, 3}];
        let all = ends ++ mid;
        let stepped = q[0:2:3];
        let last = q[-1];
        x mid;
        h all[3];
        cx ends[0], stepped[1];
        z last;
        """
        let g = gates(try compiled(source))
        #expect(g.map { $0.targets } == [[1], [2], [2], [2], [3]])
        #expect(g[3].controls == [0])
    }

    @Test func modifiersApplyRightToLeft() throws {
        let circuit = try compiled(Self.header + "qubit[3] q; ctrl @ inv @ s q[0], q[1]; negctrl(2) @ x q[0], q[1], q[2]; ctrl(2) @ pow(2) @ t q[2], q[1], q[0];")
        let g = gates(circuit)
        #expect(g[0].controls == [0] && g[0].targets == [1])
        #expect(maxDifference(g[0].matrix.elements, GateMatrices.sdg) < 1e-15)
        #expect(g[1].controls == [0, 1] && g[1].controlValues == [false, false])
        #expect(g.count == 4 && g[2].controls == [2, 1] && g[2].targets == [0])
    }

    @Test func fractionalPowerIsPrincipalRoot() throws {
        let circuit = try compiled(Self.header + "qubit[2] q; pow(0.5) @ x q[0]; pow(1.5) @ z q[1]; pow(0.5) @ cx q[0], q[1]; pow(1/3) @ h q[0];")
        let g = gates(circuit)
        #expect(maxDifference(g[0].matrix.elements, GateMatrices.sx) < 1e-12)
        #expect(maxDifference(g[1].matrix.elements, GateMatrices.diagonal(.one, Complex(0, -1))) < 1e-12)
        // pow of a controlled gate stays controlled: sqrt(cx) = controlled sx.
        #expect(g[2].controls == [0] && maxDifference(g[2].matrix.elements, GateMatrices.sx) < 1e-12)
        let cube = MatrixMath.multiply(MatrixMath.multiply(g[3].matrix.elements, g[3].matrix.elements, dimension: 2), g[3].matrix.elements, dimension: 2)
        #expect(maxDifference(cube, GateMatrices.h) < 1e-12)
    }

    @Test func multiQubitFractionalPower() throws {
        let circuit = try compiled(Self.header + "gate bell a, b { h a; cx a, b; } qubit[2] q; pow(0.5) @ bell q[0], q[1]; pow(0.5) @ bell q[0], q[1];")
        let reference = try compiled(Self.header + "gate bell a, b { h a; cx a, b; } qubit[2] q; bell q[0], q[1];")
        #expect(maxDifference(unitary(of: circuit), unitary(of: reference)) < 1e-12)
    }

    @Test func controlledGlobalPhase() throws {
        let g = gates(try compiled(Self.header + "qubit[2] q; ctrl @ gphase(0.3) q[0]; negctrl @ ctrl @ gphase(0.4) q[0], q[1];"))
        #expect(g[0].targets == [0] && g[0].controls.isEmpty)
        #expect(maxDifference(g[0].matrix.elements, GateMatrices.phaseGate(0.3)) < 1e-15)
        // Right to left: ctrl (q[1]) turns the phase into p(0.4) on q[1]; negctrl adds q[0] as a |0⟩ control.
        #expect(g[1].targets == [1] && g[1].controls == [0] && g[1].controlValues == [false])
        #expect(maxDifference(g[1].matrix.elements, GateMatrices.phaseGate(0.4)) < 1e-15)
    }

    @Test func broadcastingOverRegisters() throws {
        let g = gates(try compiled(Self.header + "qubit[3] a; qubit[3] b; qubit c; cx a, b; cx c, a; h a;"))
        #expect(g.count == 9)
        #expect(g[0...2].map { $0.controls + $0.targets } == [[0, 3], [1, 4], [2, 5]])
        #expect(g[3...5].map { $0.controls + $0.targets } == [[6, 0], [6, 1], [6, 2]])
        let d = failure(Self.header + "qubit[3] a;\nqubit[2] b;\ncx a, b;")
        #expect(d?.kind == .type && d?.line == 5)
    }

    @Test func measurementForms() throws {
        let circuit = try compiled(Self.header + "qubit[3] q; bit[3] c; bit b; measure q[0] -> c[0]; c[1:2] = measure q[1:2]; b = measure q[0]; measure q -> c; bit d = measure q[2];")
        let measures = circuit.instructions.compactMap { if case .measure(let q, let b) = $0 { [q, b] } else { nil } }
        #expect(measures == [[0, 0], [1, 1], [2, 2], [0, 3], [0, 0], [1, 1], [2, 2], [2, 4]])
        #expect(circuit.registers.map { $0.size } == [3, 1, 1])
    }

    @Test func bareMeasurementCollapsesWithoutAKey() throws {
        let circuit = try compiled(Self.header + "qubit[2] q; bit[1] c; h q[0]; measure q[0]; cx q[0], q[1]; c[0] = measure q[1];")
        #expect(circuit.bitCount == 2 && circuit.registers.count == 1)
        expectDistribution(try ReferenceSimulator.distribution(circuit), ["0": 0.5, "1": 0.5])
    }

    @Test func resetAndBarrier() throws {
        let circuit = try compiled(Self.header + "qubit[2] q; x q; reset q; barrier; barrier q[0];")
        #expect(circuit.instructions.count == 6)
        #expect(circuit.instructions[4] == .barrier([0, 1]))
    }

    @Test func timingPragmasAndCalibrationAreIgnored() throws {
        let source = Self.header + """
        #pragma qiskit.something
        defcalgrammar "openpulse";
        cal { extern port d0; }
        defcal x $0 { play(d0, gaussian(1)); }
        duration d = 100ns;
        stretch gap;
        qubit[2] q;
        @label first
        delay[d] q[0];
        delay[2 * d] q;
        box[1us] { h q[0]; }
        h q[1];
        duration total = durationof({ h q[0]; });
        x q[0];
        """
        let g = gates(try compiled(source))
        #expect(g.map { $0.name } == ["h", "h", "x"])
    }

    @Test func inputsAreRejectedByName() {
        let d = failure(Self.header + "input float theta;\nqubit q;\nrx(theta) q;")
        #expect(d?.kind == .unsupported && d?.line == 3)
        #expect(d?.message.contains("theta") == true)
    }

    @Test func outputBitsAreRegisters() throws {
        let circuit = try compiled(Self.header + "qubit q; output bit[2] result; output float energy; x q; result[1] = measure q;")
        #expect(circuit.registers == [ClassicalRegister(name: "result", offset: 0, size: 2)])
    }

    @Test func arrays() throws {
        let source = Self.header + """
        array[float[64], 3] angles = {0.1, 0.2, 0.3};
        array[int[32], 2, 2] grid = {{1, 2}, {3, 4}};
        angles[1] = grid[1][0] + grid[1, 1];
        qubit q;
        for float a in angles { rx(a) q; }
        rz(sizeof(angles) + sizeof(grid, 1)) q;
        """
        let g = gates(try compiled(source))
        #expect(g.count == 4)
        #expect(maxDifference(g[1].matrix.elements, GateMatrices.rx(7)) < 1e-15)
        #expect(maxDifference(g[3].matrix.elements, GateMatrices.rz(5)) < 1e-15)
    }

    @Test func hardwareQubits() throws {
        let circuit = try compiled(Self.header + "bit[2] c; h $1; cx $1, $0; c[0] = measure $0; c[1] = measure $1;")
        #expect(circuit.qubitCount == 2)
        expectDistribution(try ReferenceSimulator.distribution(circuit), ["00": 0.5, "11": 0.5])
    }

    @Test func userGatesMayShadowLibraryExtras() throws {
        // rzz is a Qiskit extra in qelib1 mode, so programs that define it themselves still compile.
        _ = try compiled("OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate rzz(t) a, b { cx a, b; u1(t) b; cx a, b; }\nqreg q[2];\nrzz(0.3) q[0], q[1];")
        let d = failure(Self.header + "gate h a { U(0, 0, 0) a; }")
        #expect(d?.kind == .redeclaration)
    }

    @Test func registersMayBeNamedLikeGates() throws {
        let circuit = try compiled(Self.header + "qubit[1] t; bit[1] s; x t; s[0] = measure t;")
        expectDistribution(try ReferenceSimulator.distribution(circuit), ["1": 1])
    }

    @Test func externCallsAreNotSimulable() {
        let d = failure(Self.header + "extern rng(int) -> int;\nqubit q;\nint r = rng(4);")
        #expect(d?.kind == .unsupported && d?.line == 5 && d?.message.contains("rng") == true)
    }

    @Test func qasm2WithoutIncludeSuggestsIt() {
        let d = failure("OPENQASM 2.0;\nqreg q[1];\nh q[0];")
        #expect(d?.kind == .undefinedName && d?.message.contains("qelib1.inc") == true)
    }

    @Test func returnMeasureUsesScratchBits() throws {
        let source = Self.header + "def m(qubit a) -> bit { return measure a; }\nqubit[2] q; bit[1] r;\nx q[0];\nr[0] = m(q[0]);\nif (r[0]) x q[1];\nbit[1] t;\nt[0] = measure q[1];"
        let circuit = try compiled(source)
        #expect(circuit.registers.map { $0.offset } == [0, 1] && circuit.bitCount == 3)
        expectDistribution(try ReferenceSimulator.distribution(circuit), ["1 1": 1])
    }

    @Test func qasm2CaretIsPowerAndLnIsLog() throws {
        let g = gates(try compiled("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrz(2^3^0 + ln(1)) q[0];"))
        #expect(maxDifference(g[0].matrix.elements, GateMatrices.rz(2)) < 1e-15)
        let xor = gates(try compiled(Self.header + "qubit q; rz(6 ^ 3) q;"))
        #expect(maxDifference(xor[0].matrix.elements, GateMatrices.rz(5)) < 1e-15)
    }
}
