/// A runtime classical value.
public enum ClassicalValue: Sendable, Hashable {
    case int(Int)
    case float(Double)
    case bool(Bool)
    /// `complex[float[64]]`: arithmetic, `real`/`imag`, `exp`/`sqrt`; never a gate angle or an integer.
    case complex(Complex)
}

/// Classical expressions that can only be evaluated while the program runs (they read measured bits or
/// runtime variables). Everything compile-time constant has been folded by the front-end.
/// `ClassicalExpression.evaluate(bits:variables:)` (in QASM) is the single definition of their meaning.
public indirect enum ClassicalExpression: Sendable, Hashable {
    case constant(ClassicalValue)
    /// The value of classical bit `index` (as bool).
    case bit(Int)
    /// The unsigned integer formed by `bits` with `bits[0]` least significant (a register or a slice).
    case bits([Int])
    /// Runtime variable slot.
    case variable(Int)
    case unary(UnaryOperator, ClassicalExpression)
    case binary(BinaryOperator, ClassicalExpression, ClassicalExpression)
    /// Built-in function call (sin, cos, popcount, ...), by name.
    case call(String, [ClassicalExpression])
    /// Cast to a type: "int", "uint", "float", "bool", "complex"..., optionally with a width (e.g. int[8]).
    case cast(CastTarget, ClassicalExpression)

    public enum UnaryOperator: String, Sendable, Hashable {
        case negate = "-", logicalNot = "!", bitwiseNot = "~"
    }

    public enum BinaryOperator: String, Sendable, Hashable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "**"
        case bitAnd = "&", bitOr = "|", bitXor = "^", shiftLeft = "<<", shiftRight = ">>"
        case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
        case logicalAnd = "&&", logicalOr = "||"
    }

    public struct CastTarget: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable { case int, uint, float, bool, angle, bit, complex }
        public var kind: Kind
        public var width: Int?
        public init(kind: Kind, width: Int? = nil) {
            self.kind = kind
            self.width = width
        }
    }
}
