/// A classical expression could not be evaluated (division by zero, overflow, bad operand).
public struct ClassicalEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension ClassicalValue {
    /// Conditions test this: non-zero numbers and `true`.
    public var isTruthy: Bool {
        switch self {
        case .int(let v): return v != 0
        case .float(let v): return v != 0
        case .bool(let v): return v
        case .complex(let v): return v.re != 0 || v.im != 0
        }
    }

    /// Real view; a complex value gives its real part (callers that need a real reject complex first).
    var asDouble: Double {
        switch self {
        case .int(let v): return Double(v)
        case .float(let v): return v
        case .bool(let v): return v ? 1 : 0
        case .complex(let v): return v.re
        }
    }

    var asComplex: Complex {
        if case .complex(let v) = self { return v }
        return Complex(asDouble)
    }

    var isComplex: Bool {
        if case .complex = self { return true }
        return false
    }

    /// Integer view for integer-only operators; floats must be whole numbers.
    func asInt(_ context: String) throws(ClassicalEvaluationError) -> Int {
        switch self {
        case .int(let v): return v
        case .bool(let v): return v ? 1 : 0
        case .float(let v):
            guard v.isFinite, v == v.rounded(.towardZero), abs(v) < 9.2e18 else {
                throw ClassicalEvaluationError(message: "\(context) needs an integer, got \(v).")
            }
            return Int(v)
        case .complex(let v):
            throw ClassicalEvaluationError(message: "\(context) needs an integer, got the complex number \(v.re) + \(v.im)im.")
        }
    }
}
