/// A value produced by an expression during lowering.
enum Value: Sendable {
    case known(ClassicalValue)
    case runtime(ClassicalExpression)
    case qubits([Int], isRegister: Bool)
    case bits([Int], isRegister: Bool)
    case array(Int, offset: Int, shape: [Int])
}
