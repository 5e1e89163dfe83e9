/// Enumerates the basis indices whose fixed bits (gate targets and controls) are zero: the i-th such index is
/// `i` with a zero bit inserted at every fixed position. Runs of `1 << lowestFixed` consecutive indices share
/// one expansion, so kernels loop over contiguous memory inside each run.
struct IndexExpander: Sendable {
    /// The bit positions to insert, as a mask (a plain value: building one allocates nothing).
    let fixedMask: Int

    init(fixedMask: Int) {
        self.fixedMask = fixedMask
    }

    @inline(__always)
    func expand(_ index: Int) -> Int {
        var x = index
        var positions = fixedMask
        // Lowest position first, as the insertions must go.
        while positions != 0 {
            let low = x & ((1 << positions.trailingZeroBitCount) &- 1)
            x = low | ((x ^ low) << 1)
            positions &= positions &- 1
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

    /// `fixedMask`: the gate's targets and controls, one bit each.
    init(qubits: Int, fixedMask: Int) {
        expander = IndexExpander(fixedMask: fixedMask)
        let free = qubits - fixedMask.nonzeroBitCount
        lowestFixed = fixedMask == 0 ? qubits : fixedMask.trailingZeroBitCount
        let runBits = min(lowestFixed, free)
        runLength = 1 << runBits
        runCount = 1 << (free - runBits)
    }

    /// First index of run `r` (with all fixed bits zero).
    @inline(__always)
    func runStart(_ r: Int) -> Int { expander.expand(r << lowestFixed) }
}
