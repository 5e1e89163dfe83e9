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
        }
    }

    var asDouble: Double {
        switch self {
        case .int(let v): return Double(v)
        case .float(let v): return v
        case .bool(let v): return v ? 1 : 0
        }
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
        }
    }
}
