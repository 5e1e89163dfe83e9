import CircuitTestSupport
import Testing
@testable import QASM

/// The straight-line shortcut must never change a result: whenever it answers, the general front-end
/// compiles the same program to an equal circuit; whenever the general front-end fails, it declines.
@Suite struct StraightLineCompilerTests {
    static let bell = """
    OPENQASM 3.0;
    include "stdgates.inc";
    qubit[2] q;
    bit[2] c;
    h q[0];
    cx q[0], q[1];
    c = measure q;
    """

    /// Fails the test unless the shortcut agrees with the general front-end; returns whether it answered.
    @discardableResult
    static func expectAgreement(_ source: String, options: CompileOptions = CompileOptions(),
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        let general = try? QASMCompiler.compileGeneral(source, options: options)
        guard let fast = StraightLineCompiler.compile(source, options: options) else { return false }
        #expect(general == fast, "shortcut and general front-end disagree on:\n\(source)", sourceLocation: sourceLocation)
        return true
    }

    @Test func takesTheShortcutForSimplePrograms() {
        let programs = [
            Self.bell,
            "OPENQASM 3;\ninclude \"stdgates.inc\";\nqubit[5] q;\nbit[5] c;\nh q[0];\ncx q[0], q[1];\ncx q[1], q[2];\ncx q[2], q[3];\ncx q[3], q[4];\nc = measure q;\n",
            "OPENQASM 3.0; // header\ninclude \"stdgates.inc\";\n// registers\nqubit[3] q; bit[1] s; bit[2] cx;\nx q[2]; swap q[2],q[0]; ccx q[0], q[1], q[2];\ncswap q [ 0 ] , q[1] , q[2];\nid q[1];\ns[0] = measure q[0];\nmeasure q[1:2] -> cx;\n".replacingOccurrences(of: "q[1:2]", with: "q[1]").replacingOccurrences(of: "-> cx", with: "-> cx[1]"),
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[1] a;\nqubit[2] b;\nbit[3] c;\ny a[0]; z b[1]; s b[0]; sdg b[0]; t a[0]; tdg a[0]; sx b[1]; cy a[0], b[0]; cz b[1], a[0]; ch a[0], b[1]; CX a[0], b[0];\nmeasure b -> c[1];\n".replacingOccurrences(of: "measure b -> c[1]", with: "c[0] = measure a[0]"),
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nh q[1];\n",
            "OPENQASM 3.0;\r\n\tinclude \"stdgates.inc\";\r\nqubit[2] q;\r\nbit[2] c;\r\nh q[0];\r\nmeasure q -> c;",
        ]
        for program in programs {
            #expect(Self.expectAgreement(program), "expected the shortcut to answer:\n\(program)")
        }
        // Mixed whole-register / single-bit measurement forms: answered or declined, never different.
        for measurement in ["c[0] = measure r;", "c = measure q[1];", "measure r -> c[1];", "measure q[0] -> c;",
                            "b = measure r;", "b = measure q;", "measure r -> b;", "b[0] = measure q[0];"] {
            Self.expectAgreement("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nqubit[1] r;\nbit[2] c;\nbit[1] b;\nx r[0];\n\(measurement)\n")
        }
    }

    static let parameterized = """
    OPENQASM 3.0;
    include "stdgates.inc";
    qubit[3] q;
    bit[3] c;
    rz(pi/4) q[2];
    ry(0.5) q[0];
    cp(-pi / 2) q[0], q[1];
    u3(0.1, 2*pi/3, -(1+2)/4) q[1];
    rx(1/2) q[2];
    p(2 * 3 - 7) q[0];
    crz(tau - euler*0.25) q[2], q[0];
    u2(-0.0, 3.25) q[1];
    c = measure q;
    """

    static let customGate = """
    OPENQASM 3.0;
    include "stdgates.inc";
    gate bellpair a, b { h a; cx a, b; }
    gate twisted x1, x2, x3 { bellpair x3, x1; rz(pi/8) x2; s x2; swap x1, x2; }
    qubit[3] q;
    bit[3] c;
    bellpair q[0], q[1];
    rz(pi/4) q[2];
    twisted q[2], q[0], q[1];
    x q[2];
    bellpair q[1], q[2];
    c = measure q;
    """

    @Test func inlinesParameterlessGateDefinitions() {
        #expect(Self.expectAgreement(Self.customGate))
        // Gates have their own table, so a gate may be named like a built-in constant.
        #expect(Self.expectAgreement("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[1] q;\ngate pi a { h a; }\npi q[0];\n"))
        let declined = [
            "gate g a { g a; }\ng q[0];",
            "gate q a { h a; }",
            "gate g a, a { h a; }",
            "gate h a { x a; }",
            "gate g a { measure a; }",
            "gate g a { nothere a; }",
            "gate g a { h a; }\ngate g a { x a; }",
            "gate g a, b { cx a, a; }",
            "gate g a, b { cx a, b; }\ng q[0];",
            "gate g a { h a[0]; }",
            "gate g a { h b; }",
            "gate g(t) a { rz(t) a; }\ng(1) q[0];",
            "gate g a { h a; }\ng() q[0];",
            "gate g pi { h pi; }",
        ]
        for lines in declined {
            let program = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\n\(lines)\n"
            #expect(StraightLineCompiler.compile(program, options: CompileOptions()) == nil, "shortcut answered:\n\(program)")
            Self.expectAgreement(program)
        }
    }

    @Test func foldsGateParametersLikeTheGeneralFrontEnd() {
        #expect(Self.expectAgreement(Self.parameterized))
        let declined = ["rz(1/0) q[0];", "rz(pi q[0];", "rz(2**3) q[0];", "rz(1e3) q[0];", "rz(.5) q[0];", "rz(x) q[0];",
                        "rz(sin(1)) q[0];", "rz(1, 2) q[0];", "h(0.5) q[0];", "rz(1 /* c */) q[0];", "rz(3 % 2) q[0];"]
        for line in declined {
            let program = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[1] q;\n\(line)\n"
            #expect(StraightLineCompiler.compile(program, options: CompileOptions()) == nil, "shortcut answered:\n\(program)")
            Self.expectAgreement(program)
        }
    }

    /// Run-time gate angles (fractional powers of them too), `end`, complex numbers and array slices are the
    /// general front-end's alone.
    @Test func declinesTheNewerLanguageFeatures() {
        let lines = [
            "rx(1im) q[0];", "rz(2.0im) q[0];", "rx(1 + 1im) q[0];", "end;", "h q[0];\nend;", "complex z = 1im;",
            "c[0] = measure q[0];\nrx(c[0] * pi) q[1];", "array[int[8], 3] a = {1, 2, 3};\nrx(a[1]) q[0];",
            "array[int[8], 3] a = {1, 2, 3};\nint b = a[0:1][1];", "rx(real(1im)) q[0];",
            "c[0] = measure q[0];\ngate g(t) a, b { rx(t) a; cx a, b; }\npow(0.5) @ g(c[0] * pi) q[0], q[1];",
            "c[0] = measure q[0];\nctrl @ pow(0.5) @ gphase(c[0] * pi) q[1];",
        ]
        for line in lines {
            let program = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nbit[2] c;\n\(line)\n"
            #expect(StraightLineCompiler.compile(program, options: CompileOptions()) == nil, "shortcut answered:\n\(program)")
            Self.expectAgreement(program)
        }
    }

    /// The shortcut finds library gates without asking whether their names are reserved (none may be), and
    /// declares one-letter registers without looking them up (no reserved word or constant has one letter).
    @Test func reservedNameShortcutsHold() {
        for table in [StandardLibrary.includedTable(stdgates: true, version: 3), StandardLibrary.includedTable(stdgates: true, version: 2)] {
            #expect(Set(table.keys).isDisjoint(with: Parser.reservedWords))
        }
        #expect((Parser.reservedWords.map(\.utf8.count) + Lowerer.builtinConstants.keys.map(\.utf8.count)).allSatisfy { $0 >= 2 })
        #expect(!Self.expectAgreement("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[1] q;\nreset q[0];\n"))
    }

    @Test func declinesWhatTheGeneralFrontEndRejects() {
        let invalid = [
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\ncx q[0], q[0];\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nh q[2];\n",
            "OPENQASM 3.0;\nqubit[2] q;\nh q[0];\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nqubit[1] q;\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nbit[1] q;\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nbit[1] c;\nc = measure q;\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] if;\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] pi;\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[0] q;\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\ncx q[0];\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nU q[0];\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nh q[0]\n",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[40] q;\n",
            "OPENQASM 3.0;\ninclude \"qelib2.inc\";\n",
        ]
        for program in invalid {
            #expect((try? QASMCompiler.compileGeneral(program, options: CompileOptions())) == nil, "expected an error:\n\(program)")
            #expect(StraightLineCompiler.compile(program, options: CompileOptions()) == nil, "shortcut answered:\n\(program)")
        }
        var small = CompileOptions()
        small.maxQubits = 1
        #expect(StraightLineCompiler.compile(Self.bell, options: small) == nil)
        small = CompileOptions()
        small.maxOperations = 3
        #expect(StraightLineCompiler.compile(Self.bell, options: small) == nil)
    }

    @Test func agreesOnEveryCorpusProgram() {
        let cases = CircuitFixture.all
        #expect(cases.count > 60)
        for fixture in cases { Self.expectAgreement(fixture.source) }
    }

    /// Every one-character deletion, duplication or replacement of a program: the shortcut either
    /// declines or agrees with the general front-end.
    @Test(arguments: [bell, parameterized, customGate])
    func agreesOnMutations(of program: String) {
        let characters = Array(program)
        let replacements: [Character] = [" ", ";", "[", "]", "(", ")", "0", "1", "9", ".", "q", "c", "e", "/", "*", "+", "-", ">", "=", ",", "\"", "π", "$", "\n"]
        var answered = 0
        for i in characters.indices {
            var mutants = [String(characters[..<i] + characters[(i + 1)...]), String(characters[...i] + characters[i...])]
            for r in replacements { mutants.append(String(characters[..<i] + [r] + characters[(i + 1)...])) }
            for mutant in mutants where Self.expectAgreement(mutant) { answered += 1 }
        }
        #expect(answered > 0)
    }
}
