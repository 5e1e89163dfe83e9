/// A classical variable's declared type (what assignments are cast to).
struct ClassicalType: Sendable, Hashable {
    var cast: ClassicalExpression.CastTarget
    var name: String

    static let float = ClassicalType(cast: .init(kind: .float), name: "float")
    static let int = ClassicalType(cast: .init(kind: .int), name: "int")
    static let bool = ClassicalType(cast: .init(kind: .bool), name: "bool")
    static let complex = ClassicalType(cast: .init(kind: .complex), name: "complex")
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
