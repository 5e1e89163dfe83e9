#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// The meaning of every classical operator, built-in function and cast on `ClassicalValue`s.
enum ClassicalArithmetic {
    typealias Value = ClassicalValue
    typealias Failure = ClassicalEvaluationError

    static func unary(_ op: ClassicalExpression.UnaryOperator, _ value: Value) throws(Failure) -> Value {
        switch op {
        case .logicalNot:
            return .bool(!value.isTruthy)
        case .negate:
            switch value {
            case .float(let v): return .float(-v)
            case .complex(let v): return .complex(-v)
            case .int(let v):
                guard v != Int.min else { throw Failure(message: "Integer overflow in negation.") }
                return .int(-v)
            case .bool(let v): return .int(v ? -1 : 0)
            }
        case .bitwiseNot:
            switch value {
            case .bool(let v): return .bool(!v)
            case .int(let v): return .int(~v)
            case .float, .complex: throw Failure(message: "'~' needs an integer or bit operand, not a \(value.isComplex ? "complex number" : "float").")
            }
        }
    }

    static func binary(_ op: ClassicalExpression.BinaryOperator, _ lhs: Value, _ rhs: Value) throws(Failure) -> Value {
        switch op {
        case .logicalAnd: return .bool(lhs.isTruthy && rhs.isTruthy)
        case .logicalOr: return .bool(lhs.isTruthy || rhs.isTruthy)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            if lhs.isComplex || rhs.isComplex {
                guard op == .equal || op == .notEqual else {
                    throw Failure(message: "Complex numbers have no order; '\(op.rawValue)' needs real operands.")
                }
                let equal = lhs.asComplex == rhs.asComplex
                return .bool(op == .equal ? equal : !equal)
            }
            return .bool(compare(op, lhs, rhs))
        case .bitAnd, .bitOr, .bitXor:
            if case .bool(let a) = lhs, case .bool(let b) = rhs {
                switch op {
                case .bitAnd: return .bool(a && b)
                case .bitOr: return .bool(a || b)
                default: return .bool(a != b)
                }
            }
            let a = try lhs.asInt("A bitwise operator")
            let b = try rhs.asInt("A bitwise operator")
            switch op {
            case .bitAnd: return .int(a & b)
            case .bitOr: return .int(a | b)
            default: return .int(a ^ b)
            }
        case .shiftLeft, .shiftRight:
            let a = try lhs.asInt("A shift")
            let b = try rhs.asInt("A shift")
            guard b >= 0 else { throw Failure(message: "Shift by a negative amount (\(b)).") }
            if op == .shiftLeft { return .int(b >= 64 ? 0 : a << b) }
            return .int(b >= 64 ? (a < 0 ? -1 : 0) : a >> b)
        case .add, .subtract, .multiply, .divide, .modulo, .power:
            return try arithmetic(op, lhs, rhs)
        }
    }

    private static func compare(_ op: ClassicalExpression.BinaryOperator, _ lhs: Value, _ rhs: Value) -> Bool {
        let order: Int
        switch (lhs, rhs) {
        case (.float, _), (_, .float):
            let a = lhs.asDouble, b = rhs.asDouble
            if a.isNaN || b.isNaN { return op == .notEqual }
            order = a < b ? -1 : (a > b ? 1 : 0)
        default:
            let a = (try? lhs.asInt("")) ?? 0, b = (try? rhs.asInt("")) ?? 0
            order = a < b ? -1 : (a > b ? 1 : 0)
        }
        switch op {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessEqual: return order <= 0
        case .greater: return order > 0
        default: return order >= 0
        }
    }

    private static func arithmetic(_ op: ClassicalExpression.BinaryOperator, _ lhs: Value, _ rhs: Value) throws(Failure) -> Value {
        if lhs.isComplex || rhs.isComplex {
            return .complex(try ComplexMath.arithmetic(op, lhs.asComplex, rhs.asComplex))
        }
        let isFloat: Bool
        if case .float = lhs { isFloat = true } else if case .float = rhs { isFloat = true } else { isFloat = false }
        if isFloat {
            let a = lhs.asDouble, b = rhs.asDouble
            switch op {
            case .add: return .float(a + b)
            case .subtract: return .float(a - b)
            case .multiply: return .float(a * b)
            case .divide:
                guard b != 0 else { throw Failure(message: "Division by zero.") }
                return .float(a / b)
            case .modulo:
                guard b != 0 else { throw Failure(message: "Modulo by zero.") }
                return .float(fmod(a, b))
            default: return .float(pow(a, b))
            }
        }
        let a = try lhs.asInt("Arithmetic"), b = try rhs.asInt("Arithmetic")
        let result: (Int, Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .divide:
            guard b != 0 else { throw Failure(message: "Division by zero.") }
            result = a.dividedReportingOverflow(by: b)
        case .modulo:
            guard b != 0 else { throw Failure(message: "Modulo by zero.") }
            result = a.remainderReportingOverflow(dividingBy: b)
        default:
            if b < 0 { return .float(pow(Double(a), Double(b))) }
            return .int(try integerPower(a, b))
        }
        guard !result.1 else { throw Failure(message: "Integer overflow in '\(op.rawValue)'.") }
        return .int(result.0)
    }

    private static func integerPower(_ base: Int, _ exponent: Int) throws(Failure) -> Int {
        var result = 1, factor = base, remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 {
                let (r, o) = result.multipliedReportingOverflow(by: factor)
                guard !o else { throw Failure(message: "Integer overflow in '**'.") }
                result = r
            }
            remaining >>= 1
            if remaining > 0 {
                let (f, o) = factor.multipliedReportingOverflow(by: factor)
                guard !o else { throw Failure(message: "Integer overflow in '**'.") }
                factor = f
            }
        }
        return result
    }

    static let functionArity: [String: Int] = [
        "sin": 1, "cos": 1, "tan": 1, "arcsin": 1, "arccos": 1, "arctan": 1, "exp": 1, "log": 1, "sqrt": 1,
        "ceiling": 1, "floor": 1, "mod": 2, "popcount": 1, "rotl": 3, "rotr": 3, "real": 1, "imag": 1,
    ]

    /// Functions the specification defines on complex arguments too (complex in, complex out).
    static let complexFunctions: Set<String> = ["exp", "sqrt", "real", "imag"]

    static func call(_ name: String, _ arguments: [Value]) throws(Failure) -> Value {
        guard let arity = functionArity[name] else { throw Failure(message: "Unknown function '\(name)'.") }
        guard arguments.count == arity else {
            throw Failure(message: "'\(name)' takes \(arity) argument\(arity == 1 ? "" : "s"), got \(arguments.count).")
        }
        if arguments.contains(where: \.isComplex) {
            guard complexFunctions.contains(name) else {
                throw Failure(message: "'\(name)' needs real arguments, not a complex number.")
            }
            let z = arguments[0].asComplex
            switch name {
            case "real": return .float(z.re)
            case "imag": return .float(z.im)
            case "exp": return .complex(ComplexMath.exponential(z))
            default: return .complex(ComplexMath.squareRoot(z))
            }
        }
        switch name {
        case "real": return .float(arguments[0].asDouble)
        case "imag": return .float(0)
        case "sin": return .float(sin(arguments[0].asDouble))
        case "cos": return .float(cos(arguments[0].asDouble))
        case "tan": return .float(tan(arguments[0].asDouble))
        case "arcsin": return .float(asin(arguments[0].asDouble))
        case "arccos": return .float(acos(arguments[0].asDouble))
        case "arctan": return .float(atan(arguments[0].asDouble))
        case "exp": return .float(exp(arguments[0].asDouble))
        case "log": return .float(log(arguments[0].asDouble))
        case "sqrt": return .float(sqrt(arguments[0].asDouble))
        case "ceiling": return .float(ceil(arguments[0].asDouble))
        case "floor": return .float(floor(arguments[0].asDouble))
        case "mod":
            // Result has the divisor's sign (floored modulo), unlike '%'.
            if case .float = arguments[0] { return .float(flooredMod(arguments[0].asDouble, arguments[1].asDouble)) }
            if case .float = arguments[1] { return .float(flooredMod(arguments[0].asDouble, arguments[1].asDouble)) }
            let a = try arguments[0].asInt("mod"), b = try arguments[1].asInt("mod")
            guard b != 0 else { throw Failure(message: "Modulo by zero.") }
            let (r, o) = a.remainderReportingOverflow(dividingBy: b)
            guard !o else { return .int(0) }
            return .int(r != 0 && (r < 0) != (b < 0) ? r + b : r)
        case "popcount":
            return .int(UInt(bitPattern: try arguments[0].asInt("popcount")).nonzeroBitCount)
        default:
            let value = UInt(bitPattern: try arguments[0].asInt(name))
            let width = try arguments[2].asInt(name)
            let bits = width <= 0 || width > 64 ? 64 : width
            let mask: UInt = bits == 64 ? .max : (1 << UInt(bits)) - 1
            let raw = try arguments[1].asInt(name)
            var amount = raw % bits
            if amount < 0 { amount += bits }
            if name == "rotr" { amount = (bits - amount) % bits }
            let v = value & mask
            let rotated = amount == 0 ? v : ((v << UInt(amount)) | (v >> UInt(bits - amount))) & mask
            return .int(Int(bitPattern: rotated))
        }
    }

    private static func flooredMod(_ a: Double, _ b: Double) -> Double {
        let r = fmod(a, b)
        return r != 0 && (r < 0) != (b < 0) ? r + b : r
    }

    static func cast(_ value: Value, to target: ClassicalExpression.CastTarget) throws(Failure) -> Value {
        if target.kind == .complex { return .complex(value.asComplex) }
        if case .complex(let z) = value {
            throw Failure(message: "The complex number \(z.re) + \(z.im)im cannot be converted to \(target.kind.rawValue); use real() or imag().")
        }
        switch target.kind {
        case .complex:
            return .complex(value.asComplex)
        case .bit where (target.width ?? 1) > 1:
            return try cast(value, to: .init(kind: .uint, width: target.width))
        case .bool, .bit:
            return .bool(value.isTruthy)
        case .float:
            if let width = target.width, width == 32 { return .float(Double(Float(value.asDouble))) }
            return .float(value.asDouble)
        case .angle:
            let twoPi = 2 * Double.pi
            var v = fmod(value.asDouble, twoPi)
            if v < 0 { v += twoPi }
            if let width = target.width, width > 0 && width < 53 {
                let steps = Double(UInt64(1) << UInt64(width))
                v = (v / twoPi * steps).rounded() .truncatingRemainder(dividingBy: steps) * twoPi / steps
            }
            return .float(v)
        case .int, .uint:
            var integer: Int
            switch value {
            case .int(let v): integer = v
            case .bool(let v): integer = v ? 1 : 0
            case .float(let v):
                guard v.isFinite, abs(v) < 9.2e18 else {
                    throw Failure(message: "Cannot convert \(v) to an integer.")
                }
                integer = Int(v.rounded(.towardZero))
            case .complex:
                preconditionFailure("complex values are rejected above")
            }
            if let width = target.width, width > 0 && width < 64 {
                // Two's complement wrap to `width` bits (wrapping operators: width 63 touches the sign bit).
                let mask = (1 &<< width) &- 1
                integer &= mask
                if target.kind == .int && integer >= 1 &<< (width - 1) { integer = integer &- (1 &<< width) }
            }
            return .int(integer)
        }
    }
}
