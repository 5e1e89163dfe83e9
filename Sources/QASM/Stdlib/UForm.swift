/// A one-qubit matrix e^{iγ}·U(θ, φ, λ) whose angles are expressions of a gate's run-time parameters.
struct UForm: Sendable {
    var theta: ClassicalExpression
    var phi: ClassicalExpression
    var lambda: ClassicalExpression
    var phase: ClassicalExpression = AngleExpression.zero
}
