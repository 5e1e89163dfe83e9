/// A double-precision complex number. QASM has no dependencies, so it carries its own.
public struct Complex: Sendable, Hashable {
    public var re: Double
    public var im: Double

    @inlinable public init(_ re: Double, _ im: Double = 0) {
        self.re = re
        self.im = im
    }

    public static let zero = Complex(0, 0)
    public static let one = Complex(1, 0)
    public static let i = Complex(0, 1)

    /// e^{iθ}
    @inlinable public static func phase(_ theta: Double) -> Complex {
        Complex(_cos(theta), _sin(theta))
    }

    @inlinable public var conjugate: Complex { Complex(re, -im) }
    @inlinable public var magnitudeSquared: Double { re * re + im * im }

    @inlinable public static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    @inlinable public static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    @inlinable public static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    @inlinable public static func * (a: Double, b: Complex) -> Complex { Complex(a * b.re, a * b.im) }
    @inlinable public static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
}

// Foundation-free trigonometry: Glibc/Darwin through the C standard library module.
#if canImport(Glibc)
import Glibc
@usableFromInline func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@usableFromInline func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#elseif canImport(Musl)
import Musl
@usableFromInline func _cos(_ x: Double) -> Double { Musl.cos(x) }
@usableFromInline func _sin(_ x: Double) -> Double { Musl.sin(x) }
#else
import Darwin
@usableFromInline func _cos(_ x: Double) -> Double { Darwin.cos(x) }
@usableFromInline func _sin(_ x: Double) -> Double { Darwin.sin(x) }
#endif
