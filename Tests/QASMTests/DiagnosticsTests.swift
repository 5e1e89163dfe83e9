import Testing
@testable import QASM

/// Every diagnostic kind, with line and column, and the rendered caret.
@Suite struct DiagnosticsTests {
    static let header = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"

    struct Case: Sendable, CustomStringConvertible {
        var source: String
        var kind: Diagnostic.Kind
        var line: Int
        var column: Int
        var mentions: String
        var description: String { "\(kind) \(mentions)" }
    }

    static let cases: [Case] = [
        Case(source: header + "qubit q;\nh q\nx q;", kind: .syntax, line: 5, column: 1, mentions: "';'"),
        Case(source: header + "qubit q;\nrx(0.5 q;", kind: .syntax, line: 4, column: 8, mentions: "')'"),
        Case(source: header + "qubit q;\nh q; /* never closed", kind: .syntax, line: 4, column: 6, mentions: "*/"),
        Case(source: header + "qubit q;\nh q ? ;", kind: .syntax, line: 4, column: 5, mentions: "'?'"),
        Case(source: header + "qubit q;\nfoo q;", kind: .undefinedName, line: 4, column: 1, mentions: "foo"),
        Case(source: header + "qubit q;\nrx(theta) q;", kind: .undefinedName, line: 4, column: 4, mentions: "theta"),
        Case(source: header + "qubit q;\nh r[0];", kind: .undefinedName, line: 4, column: 3, mentions: "'r'"),
        Case(source: header + "qubit q;\nqubit q;", kind: .redeclaration, line: 4, column: 1, mentions: "'q'"),
        Case(source: header + "gate g a { x a; }\ngate g a { y a; }", kind: .redeclaration, line: 4, column: 1, mentions: "'g'"),
        Case(source: header + "qubit q;\nbit c;\nc = q;", kind: .type, line: 5, column: 5, mentions: "qubit"),
        Case(source: header + "qubit[2] q;\ncx q[0], q[0];", kind: .type, line: 4, column: 1, mentions: "same qubit"),
        Case(source: header + "const int k = 1;\nk = 2;", kind: .type, line: 4, column: 1, mentions: "constant"),
        Case(source: header + "qubit q;\nrx(1, 2) q;", kind: .arity, line: 4, column: 1, mentions: "1 parameter"),
        Case(source: header + "qubit[2] q;\ncx q[0];", kind: .arity, line: 4, column: 4, mentions: "2 qubits"),
        Case(source: header + "qubit[2] q;\nx q[2];", kind: .indexOutOfRange, line: 4, column: 5, mentions: "size 2"),
        Case(source: header + "qubit[2] q;\nlet s = q[0:5];", kind: .indexOutOfRange, line: 4, column: 13, mentions: "5"),
        Case(source: header + "input float t;\nqubit q;", kind: .unsupported, line: 3, column: 1, mentions: "'t'"),
        Case(source: "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nopaque g a;", kind: .unsupported, line: 3, column: 1, mentions: "paque"),
        Case(source: header + "qubit[31] q;", kind: .limit, line: 3, column: 1, mentions: "30"),
        Case(source: header + "qubit q;\nfor int i in [0:2000000] { x q; }", kind: .limit, line: 4, column: 1, mentions: "1000000"),
        Case(source: header + "qubit q;\ndef f(int n) -> int { return f(n + 1); }\nint k = f(0);", kind: .limit, line: 4, column: 30, mentions: "64"),
        Case(source: header + "qubit q;\nbreak;", kind: .syntax, line: 4, column: 1, mentions: "loop"),
        Case(source: header + "gate g a { g a; }", kind: .type, line: 3, column: 12, mentions: "itself"),
    ]

    @Test(arguments: cases)
    func kindLineAndColumn(_ c: Case) {
        guard let d = failure(c.source) else { return }
        #expect(d.kind == c.kind, "\(d)")
        #expect(d.line == c.line && d.column == c.column, "\(d)")
        #expect(d.message.contains(c.mentions), "\(d)")
        #expect(d.message.hasSuffix("."), "one sentence: \(d.message)")
    }

    @Test func descriptionShowsLineAndCaret() {
        guard let d = failure(Self.header + "qubit q;\n  rx(0.5 q;") else { return }
        #expect(d.sourceLine == "  rx(0.5 q;")
        #expect(d.description == "4:10: syntax error: Expected ')' to close the parameters of 'rx', found 'q'.\n      rx(0.5 q;\n             ^")
    }

    @Test func columnsCountUnicodeScalars() {
        guard let d = failure(Self.header + "qubit q;\nrx(π + θ) q;") else { return }
        #expect(d.kind == .undefinedName && d.column == 8)
    }

    @Test func severalErrorsAreReportedInOrder() throws {
        do {
            _ = try QASMCompiler.compile(Self.header + "qubit q;\nfoo q;\nx r;\nh q;\nbar q;")
            Issue.record("expected failure")
        } catch {
            #expect(error.diagnostics.map(\.line) == [4, 5, 7])
            #expect(error.first.line == 4)
        }
    }

    @Test func severalSyntaxErrorsAreReported() {
        do {
            _ = try QASMCompiler.compile(Self.header + "qubit q;\nh q\nx q;\nrx(1 q;\ny q;")
            Issue.record("expected failure")
        } catch {
            #expect(error.diagnostics.map(\.line) == [5, 6])
            #expect(error.diagnostics.allSatisfy { $0.kind == .syntax })
        }
    }

    @Test func limitsAreConfigurable() {
        var options = CompileOptions()
        options.maxOperations = 10
        #expect(failure(Self.header + "qubit q;\nfor int i in [1:11] { x q; }", options: options)?.kind == .limit)
        options = CompileOptions()
        options.maxSourceBytes = 10
        #expect(failure(Self.header, options: options)?.kind == .limit)
        options = CompileOptions()
        options.maxLoopIterations = 5
        #expect(failure(Self.header + "qubit q;\nint i = 0;\nwhile (i < 10) { i += 1; }", options: options)?.kind == .limit)
        options = CompileOptions()
        options.maxRecursionDepth = 3
        let nested = Self.header + "gate a(t) q { rx(t) q; }\ngate b(t) q { a(t) q; }\ngate c(t) q { b(t) q; }\ngate d(t) q { c(t) q; }\nqubit r;\nd(1) r;"
        #expect(failure(nested, options: options)?.kind == .limit)
    }

    @Test func exponentialGateNestingHitsTheOperationLimit() {
        var source = Self.header + "gate g0 a { x a; }\n"
        for k in 1...40 { source += "gate g\(k) a { g\(k - 1) a; g\(k - 1) a; }\n" }
        source += "qubit q;\ng40 q;\n"
        #expect(failure(source)?.kind == .limit)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let parens = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(failure(Self.header + "qubit q;\nrx(\(parens)) q;")?.kind == .limit)
        let sum = Array(repeating: "1", count: 5000).joined(separator: " + ")
        #expect(failure(Self.header + "qubit q;\nrx(\(sum)) q;")?.kind == .limit)
        let blocks = String(repeating: "{", count: 5000) + String(repeating: "}", count: 5000)
        #expect(failure(Self.header + blocks)?.kind == .limit)
    }
}
