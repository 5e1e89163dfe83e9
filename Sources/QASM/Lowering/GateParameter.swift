/// A gate argument: folded at compile time, or a float expression of run-time values.
enum GateParameter: Sendable {
    case known(Double)
    case runtime(ClassicalExpression)
}
