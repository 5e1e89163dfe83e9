/// Applies `LaneGate`s to a state of at least three qubits, eight amplitudes per instruction.
enum LaneKernels {
    /// `slice` restricts the gate to the groups where some further qubits have given values, so workers can
    /// split one gate: together the slices must cover every value of those qubits.
    static func apply(_ gate: LaneGate, to state: StateView, slice: KernelSlice = .whole) {
        let s = Sliced(state: state, slice: slice)
        switch gate.shape {
        case .scale: scale(gate, s)
        case .move: move(gate, s)
        case .dense2: dense2(gate, s)
        case .dense4: dense4(gate, s)
        case .general: general(gate, s)
        }
    }

    /// A state plus the slice of it a kernel call covers.
    struct Sliced {
        let state: StateView
        let slice: KernelSlice
        var re: UnsafeMutablePointer<Double> { state.re }
        var im: UnsafeMutablePointer<Double> { state.im }
    }

    /// Visits every group: `body(firstIndex)` for each, where the group's lanes are at firstIndex + laneOffsets.
    @inline(__always)
    private static func forEachGroup(_ gate: LaneGate, _ s: Sliced, _ body: (Int) -> Void) {
        let layout = RunLayout(
            qubits: s.state.qubits - LaneLayout.bits,
            fixedQubits: (gate.fixedQubits + s.slice.qubits).map { $0 - LaneLayout.bits }
        )
        for r in 0..<layout.runCount {
            let start = (layout.runStart(r) << LaneLayout.bits) | gate.fixedValues | s.slice.values
            for l in 0..<layout.runLength {
                body(start + l << LaneLayout.bits)
            }
        }
    }

    /// Permutation-like gates: each written lane is another (possibly lane-permuted) lane, unscaled (x, cx, swap).
    private static func move(_ gate: LaneGate, _ state: Sliced) {
        let re = state.re, im = state.im
        let groups = gate.laneOffsets.count
        gate.terms.withUnsafeBufferPointer { terms in
        gate.laneOffsets.withUnsafeBufferPointer { offsets in
        gate.outputsWritten.withUnsafeBufferPointer { writes in
        withUnsafeTemporaryAllocation(of: Lane.self, capacity: 2 * groups) { lanes in
            let inRe = lanes.baseAddress!, inIm = inRe + groups
            forEachGroup(gate, state) { base in
                for o in 0..<groups {
                    inRe[o] = re.loadLane(base + offsets[o])
                    inIm[o] = im.loadLane(base + offsets[o])
                }
                var k = 0
                for o in 0..<groups where writes[o] {
                    let term = terms[k]
                    k += 1
                    re.storeLane(inRe[term.input].permuted(term.permutation), base + offsets[o])
                    im.storeLane(inIm[term.input].permuted(term.permutation), base + offsets[o])
                }
            }
        }
        }
        }
        }
    }

    /// Diagonal-like gates: each written lane is multiplied by its coefficients (cp, rz, t, cz, …).
    private static func scale(_ gate: LaneGate, _ state: Sliced) {
        let re = state.re, im = state.im
        for o in 0..<gate.laneOffsets.count where gate.outputsWritten[o] {
            let term = gate.terms[gate.termStart[o]]
            let (cr, ci) = (term.re, term.im)
            let offset = gate.laneOffsets[o]
            forEachGroup(gate, state) { base in
                let i = base + offset
                let xr = re.loadLane(i), xi = im.loadLane(i)
                re.storeLane(cr * xr - ci * xi, i)
                im.storeLane(cr * xi + ci * xr, i)
            }
        }
    }

    /// One outer target, plain 2×2 mixing (h, rx, u3, … on qubits ≥ 3, possibly controlled).
    private static func dense2(_ gate: LaneGate, _ state: Sliced) {
        let t = gate.terms
        let offset = gate.laneOffsets[1]
        // Terms are ordered by output then input: (0←0), (0←1), (1←0), (1←1).
        let (a, b, c, d) = (t[0], t[1], t[2], t[3])
        let re = state.re, im = state.im
        forEachGroup(gate, state) { i in
            let j = i + offset
            let xr = re.loadLane(i), xi = im.loadLane(i)
            let yr = re.loadLane(j), yi = im.loadLane(j)
            re.storeLane(a.re * xr - a.im * xi + b.re * yr - b.im * yi, i)
            im.storeLane(a.re * xi + a.im * xr + b.re * yi + b.im * yr, i)
            re.storeLane(c.re * xr - c.im * xi + d.re * yr - d.im * yi, j)
            im.storeLane(c.re * xi + c.im * xr + d.re * yi + d.im * yr, j)
        }
    }

    /// Two outer targets, dense 4×4 (random two-qubit unitaries, fused pairs).
    private static func dense4(_ gate: LaneGate, _ state: Sliced) {
        let re = state.re, im = state.im
        let o1 = gate.laneOffsets[1], o2 = gate.laneOffsets[2], o3 = gate.laneOffsets[3]
        gate.terms.withUnsafeBufferPointer { t in
            forEachGroup(gate, state) { i0 in
                let i1 = i0 + o1, i2 = i0 + o2, i3 = i0 + o3
                let x0r = re.loadLane(i0), x0i = im.loadLane(i0)
                let x1r = re.loadLane(i1), x1i = im.loadLane(i1)
                let x2r = re.loadLane(i2), x2i = im.loadLane(i2)
                let x3r = re.loadLane(i3), x3i = im.loadLane(i3)
                @inline(__always) func row(_ k: Int) -> (Lane, Lane) {
                    let a = t[k], b = t[k + 1], c = t[k + 2], d = t[k + 3]
                    var r = a.re * x0r - a.im * x0i
                    var s = a.re * x0i + a.im * x0r
                    r += b.re * x1r - b.im * x1i
                    s += b.re * x1i + b.im * x1r
                    r += c.re * x2r - c.im * x2i
                    s += c.re * x2i + c.im * x2r
                    r += d.re * x3r - d.im * x3i
                    s += d.re * x3i + d.im * x3r
                    return (r, s)
                }
                let (y0r, y0i) = row(0), (y1r, y1i) = row(4), (y2r, y2i) = row(8), (y3r, y3i) = row(12)
                re.storeLane(y0r, i0)
                im.storeLane(y0i, i0)
                re.storeLane(y1r, i1)
                im.storeLane(y1i, i1)
                re.storeLane(y2r, i2)
                im.storeLane(y2i, i2)
                re.storeLane(y3r, i3)
                im.storeLane(y3i, i3)
            }
        }
    }

    /// Any gate: load the group's lanes, form each needed lane permutation once, sum the terms.
    private static func general(_ gate: LaneGate, _ state: Sliced) {
        let groups = gate.laneOffsets.count
        let permutationCount = gate.permutations.count
        let sources = groups * permutationCount
        let re = state.re, im = state.im
        gate.terms.withUnsafeBufferPointer { terms in
        gate.termStart.withUnsafeBufferPointer { termStart in
        gate.laneOffsets.withUnsafeBufferPointer { offsets in
        gate.inputsRead.withUnsafeBufferPointer { reads in
        gate.outputsWritten.withUnsafeBufferPointer { writes in
        gate.permutations.withUnsafeBufferPointer { permutations in
        withUnsafeTemporaryAllocation(of: Lane.self, capacity: 2 * sources) { lanes in
            let inRe = lanes.baseAddress!, inIm = inRe + sources
            forEachGroup(gate, state) { base in
                for o in 0..<groups where reads[o] {
                    let xr = re.loadLane(base + offsets[o]), xi = im.loadLane(base + offsets[o])
                    let first = o * permutationCount
                    inRe[first] = xr
                    inIm[first] = xi
                    for p in 1..<max(1, permutationCount) {
                        inRe[first + p] = xr.permuted(permutations[p])
                        inIm[first + p] = xi.permuted(permutations[p])
                    }
                }
                for o in 0..<groups where writes[o] {
                    var accRe = Lane(repeating: 0), accIm = Lane(repeating: 0)
                    for k in termStart[o]..<termStart[o + 1] {
                        let term = terms[k]
                        let xr = inRe[term.source], xi = inIm[term.source]
                        accRe += term.re * xr - term.im * xi
                        accIm += term.re * xi + term.im * xr
                    }
                    re.storeLane(accRe, base + offsets[o])
                    im.storeLane(accIm, base + offsets[o])
                }
            }
        }
        }
        }
        }
        }
        }
        }
    }
}
