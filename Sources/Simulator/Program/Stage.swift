/// Gates that together touch at most `chunkQubits` qubits as targets: they are applied chunk by chunk, each chunk
/// (2^chunkQubits amplitudes over `localQubits`) staying in cache while all of them run. One memory pass per stage.
struct Stage<S: StateScalar> {
    /// Global qubits that vary inside a chunk, ascending. Chunk-local qubit i is `localQubits[i]`.
    var localQubits: [Int]
    /// The other qubits: each chunk fixes them (chunk j deposits j's bits here).
    var chunkQubits: [Int]
    var gates: [StageGate<S>]
    /// `localQubits` are the lowest qubits and the state is small enough: chunks are worked on where they lie.
    var inPlace: Bool
    /// Gather layout when not in place: chunk piece p (of `pieceLength` contiguous amplitudes) starts at global
    /// offset `pieceOffsets[p]` from the chunk's base and at local offset p·pieceLength.
    var pieceLength: Int
    var pieceOffsets: [Int]
}

struct StageGate<S: StateScalar> {
    /// The gate in chunk-local qubit numbering (controls outside the chunk removed).
    var local: CompiledGate
    /// The same, compiled for lane kernels (chunks of at least three qubits).
    var lane: LaneGate<S>?
    /// Controls outside the chunk, in global numbering: the gate acts on chunks whose base matches.
    var chunkControlMask: Int
    var chunkControlValues: Int
}

/// Scatters the bits of `value` (lowest first) into the given ascending bit positions.
@inline(__always)
func deposit(_ value: Int, into positions: [Int]) -> Int {
    var result = 0
    for (bit, position) in positions.enumerated() where value & (1 << bit) != 0 { result |= 1 << position }
    return result
}
