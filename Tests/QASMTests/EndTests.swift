import CircuitTestSupport
import Testing
@testable import QASM

/// `end;` under measurement-dependent conditions ends only the shots that reach it.
@Suite struct EndTests {
    static let header = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"

    @Test func endInsideABranchKeepsTheBitsMeasuredSoFar() throws {
        let source = Self.header + """
        qubit[2] q; bit[2] c;
        h q[0]; c[0] = measure q[0];
        if (c[0]) end;
        x q[1]; c[1] = measure q[1];
        """
        let circuit = try compiled(source)
        #expect(circuit.instructions.contains { if case .ifElse(_, [.end], []) = $0 { true } else { false } })
        // c[0] = 1 stops before q[1] is flipped and measured: "01"; c[0] = 0 goes on: "10".
        expectDistribution(try ReferenceSimulator.distribution(circuit), ["01": 0.5, "10": 0.5])
    }

    @Test func endInsideAnUnrolledLoopStopsLaterIterations() throws {
        let source = Self.header + """
        qubit[2] q; bit[2] c;
        for int i in [0:2] {
          h q[0]; c[0] = measure q[0];
          if (c[0]) { end; }
          x q[1];
          reset q[0];
        }
        c[1] = measure q[1];
        """
        // Only three zeros in a row (1/8) reach the end of the program, with q[1] flipped three times.
        expectDistribution(try distribution(source), ["01": 7.0 / 8, "10": 1.0 / 8])
    }

    @Test func endInsideARuntimeWhileLoop() throws {
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
        // Outcome 1 on the first measurement (1/2) or the second (1/4) reaches x: "11". Two zeros end with "00".
        expectDistribution(try distribution(source), ["11": 0.75, "00": 0.25])
    }

    @Test func endAfterARuntimeBreakIsGuarded() throws {
        let source = Self.header + """
        qubit[2] q; bit[2] c;
        for int i in [0:1] {
          h q[0]; c[0] = measure q[0];
          if (c[0]) break;
          end;
        }
        x q[1]; c[1] = measure q[1];
        """
        // Outcome 1 breaks out and reaches x: "11"; outcome 0 reaches `end`: "00".
        expectDistribution(try distribution(source), ["11": 0.5, "00": 0.5])
    }

    @Test func endInsideASubroutineStopsTheCaller() throws {
        let source = Self.header + "qubit q; bit c;\ndef stop() { end; }\nstop();\nx q; c = measure q;"
        expectDistribution(try distribution(source), ["0": 1])
    }

    @Test func staticEndStillStopsLowering() throws {
        let circuit = try compiled(Self.header + "qubit q; bit c; x q; end; c = measure q;")
        #expect(!circuit.instructions.contains { if case .measure = $0 { true } else { false } })
    }
}
