import CircuitTestSupport
import Testing
@testable import QASM

@Suite struct ControlFlowTests {
    static let header = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"

    @Test func staticForLoopIsUnrolled() throws {
        let circuit = try compiled(Self.header + "qubit[3] q; for int i in [0:2] { h q[i]; } for uint i in {2, 0} { x q[i]; } for i in [4:-2:0] { }")
        #expect(circuit.instructions.count == 5)
        #expect(circuit.variableCount == 0)
    }

    @Test func breakOnMeasurementInsideUnrolledLoop() throws {
        let source = Self.header + """
        qubit[2] q; bit[1] m; bit[1] r;
        for int i in [0:4] {
          h q[0];
          m[0] = measure q[0];
          if (m[0]) break;
          x q[1];
        }
        r[0] = measure q[1];
        """
        expectDistribution(try distribution(source), ["0 1": 21.0 / 32, "1 1": 10.0 / 32, "1 0": 1.0 / 32])
    }

    @Test func continueOnMeasurementInsideUnrolledLoop() throws {
        let source = Self.header + """
        qubit[2] q; bit[1] m; bit[1] r;
        for int i in [0:1] {
          h q[0];
          m[0] = measure q[0];
          if (m[0] == 1) { continue; }
          x q[1];
          reset q[0];
        }
        r[0] = measure q[1];
        """
        // Two rounds; each round flips q[1] when it measured 0. r = parity of zeros, m = last outcome.
        expectDistribution(try distribution(source), ["0 0": 0.25, "1 0": 0.25, "1 1": 0.25, "0 1": 0.25])
    }

    @Test func runtimeWhileLoopWithCounter() throws {
        let source = Self.header + """
        qubit q; bit[2] c; int n = 0;
        h q;
        c[0] = measure q;
        while (c[0] == 0 && n < 3) { h q; c[0] = measure q; n += 1; }
        if (n == 2) c[1] = 1;
        """
        let circuit = try compiled(source)
        #expect(circuit.instructions.contains { if case .whileLoop = $0 { true } else { false } })
        expectDistribution(try ReferenceSimulator.distribution(circuit), ["11": 1.0 / 8, "01": 13.0 / 16, "00": 1.0 / 16])
    }

    @Test func staticWhileLoopIsUnrolled() throws {
        let circuit = try compiled(Self.header + "qubit q; int i = 0; while (i < 4) { i += 1; if (i == 2) continue; if (i == 4) break; x q; }")
        #expect(circuit.instructions.count == 2)
    }

    @Test func subroutineWithRuntimeReturn() throws {
        let source = Self.header + """
        def pick(int v) -> int {
          if (v > 0) { return 5; }
          return 7;
        }
        qubit[2] q; bit[1] m; bit[1] out;
        h q[0];
        m[0] = measure q[0];
        int v = m[0];
        int w = pick(v);
        if (w == 5) x q[1];
        if (w == 7) h q[1];
        out[0] = measure q[1];
        """
        expectDistribution(try distribution(source), ["1 1": 0.5, "0 0": 0.25, "1 0": 0.25])
    }

    @Test func subroutinesTakeQubitsAndRegisters() throws {
        let source = Self.header + """
        def bell(qubit[2] pair) { h pair[0]; cx pair[0], pair[1]; }
        def flipIf(bit flag, qubit t) { if (flag) x t; }
        qubit[3] q; bit[2] c; bit[1] r;
        bell(q[0:1]);
        c = measure q[0:1];
        flipIf(c[1], q[2]);
        r[0] = measure q[2];
        """
        expectDistribution(try distribution(source), ["0 00": 0.5, "1 11": 0.5])
    }

    @Test func runtimeSwitch() throws {
        let source = Self.header + """
        qubit[3] q; bit[2] c; bit[1] r;
        h q[0]; h q[1];
        c = measure q[0:1];
        switch (c) {
          case 0 { x q[2]; }
          case 1, 2 { }
          default { x q[2]; }
        }
        r[0] = measure q[2];
        """
        expectDistribution(try distribution(source), ["1 00": 0.25, "0 01": 0.25, "0 10": 0.25, "1 11": 0.25])
    }

    @Test func staticSwitchAndIf() throws {
        let circuit = try compiled(Self.header + "const int k = 2; qubit q; switch (k + 1) { case 3 { x q; } default { h q; } } if (k == 2) { z q; } else { y q; }")
        let names = circuit.instructions.compactMap { if case .gate(let g) = $0 { g.name } else { nil } }
        #expect(names == ["x", "z"])
    }

    @Test func loopOverBitRegister() throws {
        let source = Self.header + """
        qubit[3] q; bit[2] c; bit[1] r;
        x q[0];
        c = measure q[0:1];
        for bit b in c { if (b) x q[2]; }
        r[0] = measure q[2];
        """
        expectDistribution(try distribution(source), ["1 01": 1])
    }

    @Test func endStopsTheProgram() throws {
        let circuit = try compiled(Self.header + "qubit q; x q; end; h q;")
        #expect(circuit.instructions.count == 1)
    }

    @Test func ifOnRegisterAndElseIf() throws {
        let source = Self.header + """
        qubit[3] q; bit[2] c; bit[1] r;
        h q[0]; h q[1];
        c = measure q[0:1];
        if (c == 3) { x q[2]; } else if (c[0]) { h q[2]; } else { }
        r[0] = measure q[2];
        """
        expectDistribution(try distribution(source), ["1 11": 0.25, "0 01": 0.125, "1 01": 0.125, "0 10": 0.25, "0 00": 0.25])
    }

    @Test func variablesAssignedInBranchesBecomeRuntime() throws {
        let source = Self.header + """
        qubit[2] q; bit[1] m; bit[1] r;
        int k = 1;
        h q[0];
        m[0] = measure q[0];
        if (m[0]) { k = 3; }
        k = k * 2;
        if (k == 6) x q[1];
        r[0] = measure q[1];
        """
        expectDistribution(try distribution(source), ["1 1": 0.5, "0 0": 0.5])
    }

    @Test func gateBodiesMayLoop() throws {
        let source = Self.header + "gate twice a, b { for int i in [1:2] { cx a, b; } x b; } qubit[2] q; bit[2] c; x q[0]; twice q[0], q[1]; c = measure q;"
        expectDistribution(try distribution(source), ["11": 1])
    }

    @Test func setMembership() throws {
        let source = Self.header + """
        qubit[3] q; bit[2] c; bit[1] r;
        for int i in [0:3] { if (i in {1, 3}) x q[2]; }
        h q[0]; h q[1];
        c = measure q[0:1];
        if (c in {1, 2}) x q[2];
        r[0] = measure q[2];
        """
        expectDistribution(try distribution(source), ["0 00": 0.25, "1 01": 0.25, "1 10": 0.25, "0 11": 0.25])
    }
}
