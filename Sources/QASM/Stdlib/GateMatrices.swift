#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Closed-form 1- and 2-qubit matrices (row-major, `targets[0]` = least significant index bit).
enum GateMatrices {
    static let invSqrt2 = 0.5.squareRoot()

    /// OpenQASM 3 `U(θ, φ, λ)`: [[cos(θ/2), −e^{iλ} sin(θ/2)], [e^{iφ} sin(θ/2), e^{i(φ+λ)} cos(θ/2)]].
    static func u(_ theta: Double, _ phi: Double, _ lambda: Double, phase: Double = 0) -> [Complex] {
        let c = cos(theta / 2), s = sin(theta / 2)
        let g = Complex.phase(phase)
        return MatrixMath.cleaned([
            g * Complex(c),
            g * (-s * Complex.phase(lambda)),
            g * (s * Complex.phase(phi)),
            g * (c * Complex.phase(phi + lambda)),
        ])
    }

    static func diagonal(_ a: Complex, _ b: Complex) -> [Complex] { [a, .zero, .zero, b] }
    static func phaseGate(_ lambda: Double) -> [Complex] { MatrixMath.cleaned(diagonal(.one, .phase(lambda))) }

    static let x: [Complex] = [.zero, .one, .one, .zero]
    static let y: [Complex] = [.zero, Complex(0, -1), .i, .zero]
    static let z: [Complex] = diagonal(.one, Complex(-1))
    static let h: [Complex] = [Complex(invSqrt2), Complex(invSqrt2), Complex(invSqrt2), Complex(-invSqrt2)]
    static let s: [Complex] = diagonal(.one, .i)
    static let sdg: [Complex] = diagonal(.one, Complex(0, -1))
    static let t: [Complex] = diagonal(.one, Complex(invSqrt2, invSqrt2))
    static let tdg: [Complex] = diagonal(.one, Complex(invSqrt2, -invSqrt2))
    static let sx: [Complex] = [Complex(0.5, 0.5), Complex(0.5, -0.5), Complex(0.5, -0.5), Complex(0.5, 0.5)]
    static let sxdg: [Complex] = [Complex(0.5, -0.5), Complex(0.5, 0.5), Complex(0.5, 0.5), Complex(0.5, -0.5)]
    static let identity: [Complex] = diagonal(.one, .one)

    static func rx(_ theta: Double) -> [Complex] {
        let c = cos(theta / 2), s = sin(theta / 2)
        return MatrixMath.cleaned([Complex(c), Complex(0, -s), Complex(0, -s), Complex(c)])
    }

    static func ry(_ theta: Double) -> [Complex] {
        let c = cos(theta / 2), s = sin(theta / 2)
        return MatrixMath.cleaned([Complex(c), Complex(-s), Complex(s), Complex(c)])
    }

    static func rz(_ lambda: Double) -> [Complex] {
        MatrixMath.cleaned(diagonal(.phase(-lambda / 2), .phase(lambda / 2)))
    }

    /// Two-qubit swap (symmetric in its targets).
    static let swap: [Complex] = {
        var m = [Complex](repeating: .zero, count: 16)
        m[0] = .one; m[1 * 4 + 2] = .one; m[2 * 4 + 1] = .one; m[15] = .one
        return m
    }()

    /// exp(−iθ/2 · Z⊗Z).
    static func rzz(_ theta: Double) -> [Complex] {
        var m = [Complex](repeating: .zero, count: 16)
        let a = Complex.phase(-theta / 2), b = Complex.phase(theta / 2)
        m[0] = a; m[5] = b; m[10] = b; m[15] = a
        return MatrixMath.cleaned(m)
    }

    /// exp(−iθ/2 · X⊗X).
    static func rxx(_ theta: Double) -> [Complex] {
        var m = [Complex](repeating: .zero, count: 16)
        let c = Complex(cos(theta / 2)), s = Complex(0, -sin(theta / 2))
        m[0] = c; m[5] = c; m[10] = c; m[15] = c
        m[3] = s; m[6] = s; m[9] = s; m[12] = s
        return MatrixMath.cleaned(m)
    }

    /// exp(−iθ/2 · Y⊗Y).
    static func ryy(_ theta: Double) -> [Complex] {
        var m = [Complex](repeating: .zero, count: 16)
        let c = Complex(cos(theta / 2)), s = sin(theta / 2)
        m[0] = c; m[5] = c; m[10] = c; m[15] = c
        m[3] = Complex(0, s); m[12] = Complex(0, s); m[6] = Complex(0, -s); m[9] = Complex(0, -s)
        return MatrixMath.cleaned(m)
    }
}
