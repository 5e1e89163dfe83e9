#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Complex arithmetic of OpenQASM's `complex[float[64]]` (C99 Annex G formulas, principal branches).
enum ComplexMath {
    static func arithmetic(_ op: ClassicalExpression.BinaryOperator, _ a: Complex, _ b: Complex) throws(ClassicalEvaluationError) -> Complex {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide:
            let denominator = b.magnitudeSquared
            // Zero divisors fail as in real arithmetic, rather than producing infinities.
            guard denominator != 0 else { throw ClassicalEvaluationError(message: "Division by zero.") }
            let numerator = a * b.conjugate
            return Complex(numerator.re / denominator, numerator.im / denominator)
        case .power:
            return try power(a, b)
        default:
            throw ClassicalEvaluationError(message: "'\(op.rawValue)' is not defined for complex numbers.")
        }
    }

    /// a ** b = exp(b · log a) on the principal branch; 0 ** b is 1 for b = 0 and 0 when Re b > 0.
    static func power(_ a: Complex, _ b: Complex) throws(ClassicalEvaluationError) -> Complex {
        if a.re == 0 && a.im == 0 {
            if b.re == 0 && b.im == 0 { return .one }
            guard b.re > 0 else { throw ClassicalEvaluationError(message: "Zero raised to a power with a non-positive real part.") }
            return .zero
        }
        let logarithm = Complex(log(a.magnitudeSquared.squareRoot()), atan2(a.im, a.re))
        return exponential(b * logarithm)
    }

    static func exponential(_ z: Complex) -> Complex {
        let magnitude = exp(z.re)
        return Complex(magnitude * cos(z.im), magnitude * sin(z.im))
    }

    /// Principal square root (non-negative real part; the sign of the imaginary part follows z's).
    static func squareRoot(_ z: Complex) -> Complex {
        let r = z.magnitudeSquared.squareRoot()
        let re = ((r + z.re) / 2).squareRoot()
        let im = ((r - z.re) / 2).squareRoot()
        return Complex(re, z.im.sign == .minus ? -im : im)
    }
}
