import Testing
@testable import QASM

/// The total of classical bits is capped (each register alone is capped at 4096): every outcome key is that long.
@Suite struct ClassicalBitLimitTests {
    /// The poison pill from issue 9: four full-width registers, 16 qubits after `h` measured into each.
    static let fourWideRegisters = """
        OPENQASM 3.0;
        include "stdgates.inc";
        qubit[16] q;
        bit[4096] a;
        bit[4096] b;
        bit[4096] c;
        bit[4096] d;
        h q;
        for int i in [0:15] {
            a[i] = measure q[i];
            b[i] = measure q[i];
            c[i] = measure q[i];
            d[i] = measure q[i];
        }
        """

    @Test func fourFullWidthRegistersFailAtTheDeclarationThatCrossesTheLimit() throws {
        let diagnostic = try #require(failure(Self.fourWideRegisters))
        #expect(diagnostic.kind == .limit)
        #expect(diagnostic.line == 5 && diagnostic.column == 1)
        #expect(diagnostic.sourceLine == "bit[4096] b;")
        #expect(diagnostic.message.contains("8192 classical bits") && diagnostic.message.contains("limit of 4096"))
    }

    @Test func theLimitIsConfigurable() throws {
        var options = CompileOptions()
        options.maxClassicalBits = 4 * 4096
        let circuit = try QASMCompiler.compile(Self.fourWideRegisters, options: options)
        #expect(circuit.bitCount == 4 * 4096)
    }

    @Test func straightLineProgramsAreCheckedToo() throws {
        var options = CompileOptions()
        options.maxClassicalBits = 5
        let within = "OPENQASM 3.0;\nqubit[2] q;\nbit[2] a;\nbit[3] b;\nb[0] = measure q[0];\n"
        #expect(try QASMCompiler.compile(within, options: options).bitCount == 5)
        let over = "OPENQASM 3.0;\nqubit[2] q;\nbit[3] a;\nbit[3] b;\nb[0] = measure q[0];\n"
        let diagnostic = try #require(failure(over, options: options))
        #expect(diagnostic.kind == .limit && diagnostic.line == 4 && diagnostic.column == 1)
    }

    @Test func openQASM2RegistersCount() throws {
        var options = CompileOptions()
        options.maxClassicalBits = 8
        let source = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg a[4];\ncreg b[5];\nmeasure q[0] -> a[0];\n"
        let diagnostic = try #require(failure(source, options: options))
        #expect(diagnostic.kind == .limit && diagnostic.line == 5)
    }
}
