import CircuitTestSupport
import Testing
@testable import QASM

/// Garbage in, diagnostics out: mutated corpus programs must never crash the process or hang.
@Suite struct RobustnessTests {
    /// Deterministic pseudo-random numbers (SplitMix64) so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fragments = [
        "{", "}", "(", ")", "[", "]", ";", ",", ":", "ctrl @ ", "negctrl(2) @ ", "inv @ ", "pow(0.5) @ ", "pow(-3) @ ",
        "for int i in [0:3] ", "for i in {1, 2} ", "while (true) ", "while (c[0]) ", "if (c == 1) ", "else ", "measure ",
        "gate g(a) x { U(a, 0, 0) x; } ", "def f(int n) -> int { return n * 2; } ", "f(3)", "$3 ", "$99999999999999999999",
        "1e308", "9223372036854775807", "-9223372036854775808", "0x", "0b102", "π", "τ", "ℇ", "\"", "/*", "//", "\n",
        "let a = q[0:1] ++ q[2:2]; ", "q[-1]", "q[{0, 0}]", "1 << 64", "2 ** 63", "1 / 0", "1 % 0", "int[64](1e30)",
        "angle[4] z = pi;", "bit[3] b = \"101\";", "break;", "continue;", "return;", "end;", "reset q;", "barrier;",
        "box { } ", "delay[10ns] q;", "#pragma x\n", "@ann\n", "include \"stdgates.inc\";", "OPENQASM 2.0;",
        "qubit[30] big;", "switch (1) { case 1 { } default { } }", "gphase(1);", "U(1,2,3) q[0];", "cx q, q;",
        "array[int[8], 2] arr = {1, 2};", "arr[5]", "sizeof(arr, 3)", "rotl(1, -70)", "popcount(-1)", "\u{0}", "€", "🙂",
    ]

    static func mutate(_ source: String, _ rng: inout SplitMix) -> String {
        var scalars = Array(source.unicodeScalars)
        let edits = Int.random(in: 1...4, using: &rng)
        for _ in 0..<edits {
            let position = scalars.isEmpty ? 0 : Int.random(in: 0...scalars.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !scalars.isEmpty:
                let end = min(scalars.count, position + Int.random(in: 1...20, using: &rng))
                scalars.removeSubrange(min(position, end)..<end)
            case 1 where !scalars.isEmpty:
                let start = Int.random(in: 0..<scalars.count, using: &rng)
                let end = min(scalars.count, start + Int.random(in: 1...40, using: &rng))
                scalars.insert(contentsOf: scalars[start..<end], at: min(position, scalars.count))
            case 2:
                let scalar = Unicode.Scalar(UInt32.random(in: 1...0x7F, using: &rng)) ?? "?"
                scalars.insert(scalar, at: min(position, scalars.count))
            default:
                let fragment = fragments[Int.random(in: 0..<fragments.count, using: &rng)]
                scalars.insert(contentsOf: fragment.unicodeScalars, at: min(position, scalars.count))
            }
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    @Test func mutatedCorpusNeverCrashesOrHangs() {
        let seeds = CircuitFixture.all.map(\.source)
        #expect(!seeds.isEmpty)
        var rng = SplitMix(state: 0x5EED)
        var options = CompileOptions()
        // Smaller limits keep this debug-build test fast; the limits themselves are tested elsewhere.
        options.maxLoopIterations = 20_000
        options.maxOperations = 200_000
        let clock = ContinuousClock()
        var slowest = Duration.zero
        var compiledCount = 0
        for round in 0..<3000 {
            let source = Self.mutate(seeds[round % seeds.count], &rng)
            let start = clock.now
            if (try? QASMCompiler.compile(source, options: options)) != nil { compiledCount += 1 }
            slowest = max(slowest, clock.now - start)
        }
        #expect(slowest < .seconds(3), "slowest compile took \(slowest)")
        #expect(compiledCount > 0 && compiledCount < 3000)
    }

    @Test func randomTokenSoupNeverCrashes() {
        var rng = SplitMix(state: 42)
        for _ in 0..<2000 {
            let count = Int.random(in: 1...30, using: &rng)
            let source = (0..<count).map { _ in Self.fragments[Int.random(in: 0..<Self.fragments.count, using: &rng)] }.joined(separator: " ")
            _ = try? QASMCompiler.compile("qubit[3] q; bit[3] c;\n" + source)
            _ = try? QASMCompiler.compile(source)
        }
        #expect(Bool(true), "reaching here means no input crashed the process")
    }

    @Test func evaluateNeverTrapsOnExtremeValues() {
        let values: [ClassicalValue] = [.int(.max), .int(.min), .int(-1), .int(0), .float(.nan), .float(.infinity), .float(-0.0), .bool(true)]
        let operators: [ClassicalExpression.BinaryOperator] = [
            .add, .subtract, .multiply, .divide, .modulo, .power, .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRight,
            .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .logicalAnd, .logicalOr,
        ]
        var evaluated = 0
        for a in values {
            for b in values {
                for op in operators {
                    if (try? ClassicalExpression.binary(op, .constant(a), .constant(b)).evaluate(bit: { _ in false }, variables: [])) != nil {
                        evaluated += 1
                    }
                }
                for name in ["rotl", "rotr"] {
                    _ = try? ClassicalExpression.call(name, [.constant(a), .constant(b), .constant(b)]).evaluate(bit: { _ in true }, variables: [])
                }
            }
            for kind in [ClassicalExpression.CastTarget.Kind.int, .uint, .float, .bool, .angle, .bit] {
                for width: Int? in [nil, 1, 8, 63, 64, 4096] {
                    _ = try? ClassicalExpression.cast(.init(kind: kind, width: width), .constant(a)).evaluate(bit: { _ in true }, variables: [])
                }
            }
            _ = try? ClassicalExpression.unary(.negate, .constant(a)).evaluate(bit: { _ in true }, variables: [])
            _ = try? ClassicalExpression.unary(.bitwiseNot, .constant(a)).evaluate(bit: { _ in true }, variables: [])
        }
        _ = try? ClassicalExpression.variable(5).evaluate(bit: { _ in true }, variables: [])
        #expect(evaluated > 0)
    }
}
