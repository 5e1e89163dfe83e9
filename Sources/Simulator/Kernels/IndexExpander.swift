/// Enumerates the basis indices whose fixed bits (gate targets and controls) are zero: the i-th such index is
/// `i` with a zero bit inserted at every fixed position. Runs of `1 << lowestFixed` consecutive indices share
/// one expansion, so kernels loop over contiguous memory inside each run.
struct IndexExpander: Sendable {
    /// Ascending bit positions to insert.
    let positions: [Int]

    init(fixedQubits: [Int]) {
        positions = fixedQubits.sorted()
    }

    @inline(__always)
    func expand(_ index: Int) -> Int {
        var x = index
        for p in positions {
            let low = x & ((1 << p) &- 1)
            x = low | ((x ^ low) << 1)
        }
        return x
    }
}

/// The run structure of one gate over a state: `runCount` runs of `runLength` amplitudes.
struct RunLayout: Sendable {
    let expander: IndexExpander
    let runLength: Int
    let runCount: Int
    let lowestFixed: Int

    init(qubits: Int, fixedQubits: [Int]) {
        expander = IndexExpander(fixedQubits: fixedQubits)
        let free = qubits - fixedQubits.count
        lowestFixed = expander.positions.first ?? qubits
        let runBits = min(lowestFixed, free)
        runLength = 1 << runBits
        runCount = 1 << (free - runBits)
    }

    /// First index of run `r` (with all fixed bits zero).
    @inline(__always)
    func runStart(_ r: Int) -> Int { expander.expand(r << lowestFixed) }
}
