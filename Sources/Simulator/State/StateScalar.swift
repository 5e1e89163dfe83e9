/// The real type a state vector is stored and computed in. The engine is generic over it; `Double` and `Float`
/// are the two instances, named by `Precision`.
protocol StateScalar: BinaryFloatingPoint, SIMDScalar, Sendable, Codable {
    static var precision: Precision { get }
}

extension Double: StateScalar {
    static var precision: Precision { .double }
}

extension Float: StateScalar {
    static var precision: Precision { .single }
}
