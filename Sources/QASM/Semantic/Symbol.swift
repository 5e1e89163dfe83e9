/// What a name refers to while lowering.
enum Symbol: Sendable {
    case qubits([Int], isRegister: Bool)
    case bits([Int], isRegister: Bool)
    /// Index into `Lowerer.variables`.
    case variable(Int)
    /// Compile-time constant: built-in constants, gate parameters, loop variables.
    case constant(ClassicalValue)
    /// Index into `Lowerer.arrays`.
    case array(Int)
    case subroutine(SubroutineDefinition)
}

/// A block of names. Gate bodies see only their own names plus global constants and gates.
struct Scope: Sendable {
    enum Kind: Sendable { case global, block, gate, subroutine }
    var kind: Kind
    var symbols: [String: Symbol] = [:]
}
