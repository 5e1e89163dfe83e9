/// A parsed expression with the position of its first token (or operator, for binary expressions).
struct Expression: Sendable {
    indirect enum Kind: Sendable {
        case integer(Int)
        case float(Double)
        case imaginary(Double)
        case boolean(Bool)
        /// `"0101"`: bit 0 is the rightmost character.
        case bitstring(String)
        /// Timing literal, converted to seconds (`dt` counts as 0: timing does not affect simulation).
        case duration(Double)
        case identifier(String)
        case hardwareQubit(Int)
        case unary(String, Expression)
        case binary(String, Expression, Expression)
        /// `a[...]`; several indices in one bracket (`a[1, 2]`) are separate elements of `indices`.
        case index(Expression, [IndexItem])
        case call(String, [Expression])
        case cast(TypeSpec, Expression)
        case measure(Expression)
        /// `{a, b, c}`: a set or an array literal.
        case braced([Expression])
        /// `[start : step : end]` outside an index (for-loop ranges); `start`, `end` may be omitted in slices.
        case range(Expression?, Expression?, Expression?)
        case durationOf
    }

    enum IndexItem: Sendable {
        case single(Expression)
        case range(Expression?, Expression?, Expression?)
        case set([Expression])
    }

    var kind: Kind
    var location: SourceLocation

    init(_ kind: Kind, _ location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

/// A type as written: `int[8]`, `bit[n]`, `float`, `array[int[32], 3, 2]`, `qubit[4]`...
struct TypeSpec: Sendable {
    enum Base: String, Sendable, Hashable {
        case bit, int, uint, float, angle, bool, duration, stretch, complex, qubit, array
    }

    var base: Base
    var width: Expression?
    /// Element type for `array[...]` and `complex[float[...]]`.
    var element: [TypeSpec] = []
    /// Dimensions for `array[T, d1, d2]`.
    var dimensions: [Expression] = []
    var location: SourceLocation
}
