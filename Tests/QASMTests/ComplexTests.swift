#if canImport(Glibc)
import CircuitTestSupport
import Glibc
#else
import Darwin
#endif
import Testing
@testable import QASM

/// `complex[float[64]]`: literals with `im`, arithmetic, `real`/`imag`/`exp`/`sqrt`, and type errors.
@Suite struct ComplexTests {
    static let header = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"

    static func value(_ op: ClassicalExpression.BinaryOperator, _ a: Complex, _ b: Complex) throws -> Complex {
        guard case .complex(let z) = try ClassicalArithmetic.binary(op, .complex(a), .complex(b)) else {
            Issue.record("not complex")
            return .zero
        }
        return z
    }

    static func close(_ a: Complex, _ b: Complex) -> Bool { abs(a.re - b.re) < 1e-12 && abs(a.im - b.im) < 1e-12 }

    @Test func specificationExamples() throws {
        let a = Complex(10, 5), b = Complex(-2, -7)
        #expect(try Self.value(.add, a, b) == Complex(8, -2))
        #expect(try Self.value(.subtract, a, b) == Complex(12, 12))
        #expect(try Self.value(.multiply, a, b) == Complex(15, -80))
        #expect(Self.close(try Self.value(.divide, a, b), Complex(-55.0 / 53, 60.0 / 53)))
        #expect(Self.close(try Self.value(.power, a, b), Complex(0.10694695640729072, 0.17536481119721312)))
    }

    /// P(1) of ry(2·arcsin(√x)) is x: a program can expose a folded complex value as a probability.
    @Test func foldedArithmeticAndBuiltins() throws {
        let source = Self.header + """
        qubit[4] q; bit[4] c;
        complex[float[64]] z = 1.0 + 2.0im;
        z = z * z;                                            // −3 + 4i
        ry(2 * arcsin(sqrt(-real(z) / 5))) q[0];              // 3/5
        rx(imag(z) * pi / 8) q[1];                            // rx(π/2): 1/2
        complex[float[64]] e = exp(pi * 1im);                 // −1
        ry(2 * arcsin(sqrt((1 - real(e)) / 2))) q[2];         // 1
        complex w = sqrt(-4 + 0im) + 3;                       // 3 + 2i (an int widens to complex)
        z = (1im) ** 2;                                       // −1
        ry(2 * arcsin(sqrt(imag(w) / 4 - real(z) / 4 + 0 * real(w)))) q[3];  // 2/4 + 1/4 = 3/4
        c = measure q;
        """
        let d = try distribution(source)
        func marginal(_ bit: Int) -> Double { d.filter { Array($0.key.reversed())[bit] == "1" }.values.reduce(0, +) }
        #expect(abs(marginal(0) - 0.6) < 1e-12)
        #expect(abs(marginal(1) - 0.5) < 1e-12)
        #expect(abs(marginal(2) - 1) < 1e-12)
        #expect(abs(marginal(3) - 0.75) < 1e-12)
    }

    @Test func runtimeComplexArithmetic() throws {
        let source = Self.header + """
        qubit[2] q; bit[2] c;
        complex[float[64]] z = 1;
        h q[0]; c[0] = measure q[0];
        if (c[0]) z = 1im;
        z *= z;                                               // 1, or −1 after the measurement gave 1
        ry(2 * arcsin(sqrt((1 - real(z)) / 2))) q[1];
        c[1] = measure q[1];
        """
        let circuit = try compiled(source)
        #expect(circuit.initialVariables.count == circuit.variableCount)
        expectDistribution(try ReferenceSimulator.distribution(circuit), ["00": 0.5, "11": 0.5])
    }

    @Test func castsAndArraysOfComplex() throws {
        let source = Self.header + """
        qubit q; bit c;
        array[complex[float[64]], 2] zs = {complex[float[64]](3), 0.5im};
        complex z = zs[0] + zs[1] * 2;                       // 3 + 1i
        ry(2 * arcsin(sqrt(imag(z) / real(z)))) q;            // 1/3
        c = measure q;
        """
        expectDistribution(try distribution(source), ["1": 1.0 / 3, "0": 2.0 / 3])
    }

    @Test func complexComparesForEqualityOnly() throws {
        let source = Self.header + "qubit q; bit c;\ncomplex z = 2 + 0im;\nif (z == 2) x q;\nif (z != 2im) x q;\nc = measure q;"
        expectDistribution(try distribution(source), ["0": 1])
    }

    static let typeErrors: [(String, Int, Int, String)] = [
        ("qubit q;\nrx(1im) q;", 4, 4, "real number"),
        ("qubit q; bit c; complex z; c = measure q; if (c) z = 1im;\nrx(z) q;", 4, 4, "real number"),
        ("complex z = 1im;\nfloat f = z;", 4, 11, "real() or imag()"),
        ("qubit q; bit c; complex z; c = measure q; if (c) z = 1im;\nfloat f = z;", 4, 11, "real() or imag()"),
        ("int i = 2 + 1im;", 3, 11, "complex"),
        ("complex z = 1im;\nbool b = z < 1;", 4, 12, "order"),
        ("qubit q; bit c; complex z; c = measure q; if (c) z = 1im;\nbool b = z < 1;", 4, 12, "complex"),
        ("float f = sin(1im);", 3, 11, "real arguments"),
        ("qubit q; bit c; complex z; c = measure q; if (c) z = 1im;\nint k = ~z;", 4, 9, "complex"),
        ("complex[int[8]] z;", 3, 9, "float components"),
        ("bit[2] b = 1im;", 3, 12, "bits"),
    ]

    @Test(arguments: typeErrors.indices)
    func complexWhereARealIsNeededIsATypeError(_ index: Int) {
        let (body, line, column, mention) = Self.typeErrors[index]
        guard let d = failure(Self.header + body) else { return }
        #expect(d.kind == .type && d.line == line && d.column == column, "\(d)")
        #expect(d.message.contains(mention), "\(d)")
    }
}
