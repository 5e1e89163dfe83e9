/// Extra qubits a kernel call holds fixed (with their values), so several workers can share one gate's groups.
struct KernelSlice: Sendable {
    var qubits: [Int]
    var values: Int

    static let whole = KernelSlice(qubits: [], values: 0)

    /// Slices for `workers` workers over a gate that leaves `freeQubits` (ascending) unfixed: the highest free
    /// qubits split the state, so each worker streams over its own contiguous half (quarter, …).
    static func partition(workers: Int, freeQubits: [Int]) -> [KernelSlice] {
        var bits = 0
        while (1 << (bits + 1)) <= workers && bits < freeQubits.count { bits += 1 }
        let splitting = Array(freeQubits.suffix(bits))
        return (0..<(1 << bits)).map { KernelSlice(qubits: splitting, values: deposit($0, into: splitting)) }
    }
}
