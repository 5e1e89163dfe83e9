/// Small builders for run-time angle expressions, folding constants so library gates with one run-time
/// parameter do not carry needless arithmetic into every shot.
enum AngleExpression {
    static let zero = ClassicalExpression.constant(.float(0))

    static func constant(_ value: Double) -> ClassicalExpression { .constant(.float(value)) }

    static func negated(_ expression: ClassicalExpression) -> ClassicalExpression {
        if case .constant(let value) = expression { return .constant(.float(-value.asDouble)) }
        return .unary(.negate, expression)
    }

    static func sum(_ a: ClassicalExpression, _ b: ClassicalExpression) -> ClassicalExpression {
        if case .constant(let x) = a, x.asDouble == 0 { return b }
        if case .constant(let y) = b, y.asDouble == 0 { return a }
        return .binary(.add, a, b)
    }

    /// `factor · expression` (a real product: operands are float-cast parameters).
    static func scaled(_ expression: ClassicalExpression, by factor: Double) -> ClassicalExpression {
        if case .constant(let value) = expression { return .constant(.float(factor * value.asDouble)) }
        return .binary(.multiply, .constant(.float(factor)), expression)
    }
}
