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

/// A classical variable's declared type (what assignments are cast to).
struct ClassicalType: Sendable, Hashable {
    var cast: ClassicalExpression.CastTarget
    var name: String

    static let float = ClassicalType(cast: .init(kind: .float), name: "float")
    static let int = ClassicalType(cast: .init(kind: .int), name: "int")
    static let bool = ClassicalType(cast: .init(kind: .bool), name: "bool")
}

/// Where a classical variable's value lives: folded at compile time, or in a runtime slot.
enum Storage: Sendable {
    case known(ClassicalValue)
    case slot(Int)
}

struct Variable: Sendable {
    var name: String
    var type: ClassicalType
    var storage: Storage
    var isConst: Bool
    /// Measurement-dependent nesting depth at declaration: it may stay folded while assigned at that depth.
    var depth: Int = 0
}

/// A classical array: a flat list of element variables (row-major) with its shape.
struct ClassicalArray: Sendable {
    var name: String
    var shape: [Int]
    var elements: [Int]
}

/// A block of names. Gate bodies see only their own names plus global constants and gates.
struct Scope: Sendable {
    enum Kind: Sendable { case global, block, gate, subroutine }
    var kind: Kind
    var symbols: [String: Symbol] = [:]
}

/// A value produced by an expression during lowering.
enum Value: Sendable {
    case known(ClassicalValue)
    case runtime(ClassicalExpression)
    case qubits([Int], isRegister: Bool)
    case bits([Int], isRegister: Bool)
    case array(Int, offset: Int, shape: [Int])
}

/// How a statement or block finished, for unrolling loops and inlining subroutines.
enum Flow: Sendable {
    case normal
    /// Control certainly left (statically): the rest of the block is dead.
    case exit(ExitKind)
    /// Control may have left at run time (a flag was set); the rest must be guarded by the flags.
    case mayExit

    enum ExitKind: Sendable { case breakLoop, continueLoop, returned, end }
}
