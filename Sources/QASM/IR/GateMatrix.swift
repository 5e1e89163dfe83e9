/// A unitary on k target qubits: a 2^k × 2^k complex matrix, row-major.
///
/// Basis-index convention (the engine relies on it): bit j of a row/column index is the value of
/// `GateApplication.targets[j]`, so `targets[0]` is the least significant bit of the index.
public struct GateMatrix: Sendable, Hashable {
    /// Number of target qubits (k).
    public let qubitCount: Int
    /// 4^k entries, row-major: `elements[row * dimension + column]`.
    public let elements: [Complex]

    public var dimension: Int { 1 << qubitCount }

    public init(qubitCount: Int, elements: [Complex]) {
        precondition(elements.count == (1 << qubitCount) * (1 << qubitCount), "matrix size does not match qubit count")
        self.qubitCount = qubitCount
        self.elements = elements
    }

    @inlinable public subscript(row: Int, column: Int) -> Complex {
        elements[row * (1 << qubitCount) + column]
    }
}
