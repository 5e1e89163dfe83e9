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
        case .single: single(gate, s)
        case .pair: pair(gate, s)
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
    /// Lane indices with the fixed bits clear are enumerated by the add-through-the-mask trick: setting the fixed
    /// bits before adding one carries straight past them.
    @inline(__always)
    private static func forEachGroup(_ gate: LaneGate, _ s: Sliced, _ body: (Int) -> Void) {
        let laneBits = s.state.qubits - LaneLayout.bits
        var fixed = ~((1 &<< laneBits) &- 1)
        for qubit in gate.fixedQubits { fixed |= 1 &<< (qubit - LaneLayout.bits) }
        for qubit in s.slice.qubits { fixed |= 1 &<< (qubit - LaneLayout.bits) }
        let values = gate.fixedValues | s.slice.values
        var lane = 0
        repeat {
            body((lane &<< LaneLayout.bits) | values)
            lane = ((lane | fixed) &+ 1) & ~fixed
        } while lane != 0
    }

    /// Permutation-like gates: each written lane is another (possibly lane-permuted) lane, unscaled (x, cx, swap).
    private static func move(_ gate: LaneGate, _ state: Sliced) {
        let re = state.re, im = state.im
        if gate.laneOffsets.count == 2, gate.terms.count == 2, gate.terms.allSatisfy({ $0.permutation == 0 }) {
            // x / cx on an outer qubit: exchange the two lanes.
            let offset = gate.laneOffsets[1]
            forEachGroup(gate, state) { i in
                let j = i &+ offset
                let xr = re.loadLane(i), xi = im.loadLane(i)
                re.storeLane(re.loadLane(j), i)
                im.storeLane(im.loadLane(j), i)
                re.storeLane(xr, j)
                im.storeLane(xi, j)
            }
            return
        }
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
            let (cr, ci, cn) = (term.re, term.im, term.imNeg)
            let offset = gate.laneOffsets[o]
            forEachGroup(gate, state) { base in
                let i = base &+ offset
                let xr = re.loadLane(i), xi = im.loadLane(i)
                re.storeLane((cr * xr).plus(cn, times: xi), i)
                im.storeLane((cr * xi).plus(ci, times: xr), i)
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
            let j = i &+ offset
            let xr = re.loadLane(i), xi = im.loadLane(i)
            let yr = re.loadLane(j), yi = im.loadLane(j)
            var r0 = a.re * xr, i0 = a.re * xi
            var r1 = c.re * xr, i1 = c.re * xi
            r0 = r0.plus(a.imNeg, times: xi)
            i0 = i0.plus(a.im, times: xr)
            r1 = r1.plus(c.imNeg, times: xi)
            i1 = i1.plus(c.im, times: xr)
            Lane.accumulate(&r0, &i0, b.re, b.im, b.imNeg, yr, yi)
            Lane.accumulate(&r1, &i1, d.re, d.im, d.imNeg, yr, yi)
            re.storeLane(r0, i)
            im.storeLane(i0, i)
            re.storeLane(r1, j)
            im.storeLane(i1, j)
        }
    }

    /// Two outer targets, dense 4×4 (random two-qubit unitaries, fused pairs).
    private static func dense4(_ gate: LaneGate, _ state: Sliced) {
        let re = state.re, im = state.im
        let o1 = gate.laneOffsets[1], o2 = gate.laneOffsets[2], o3 = gate.laneOffsets[3]
        gate.terms.withUnsafeBufferPointer { t in
            forEachGroup(gate, state) { i0 in
                let i1 = i0 &+ o1, i2 = i0 &+ o2, i3 = i0 &+ o3
                let x0r = re.loadLane(i0), x0i = im.loadLane(i0)
                let x1r = re.loadLane(i1), x1i = im.loadLane(i1)
                let x2r = re.loadLane(i2), x2i = im.loadLane(i2)
                let x3r = re.loadLane(i3), x3i = im.loadLane(i3)
                @inline(__always) func row(_ k: Int) -> (Lane, Lane) {
                    let a = t[k], b = t[k + 1], c = t[k + 2], d = t[k + 3]
                    var r = (a.re * x0r).plus(a.imNeg, times: x0i)
                    var s = (a.re * x0i).plus(a.im, times: x0r)
                    Lane.accumulate(&r, &s, b.re, b.im, b.imNeg, x1r, x1i)
                    Lane.accumulate(&r, &s, c.re, c.im, c.imNeg, x2r, x2i)
                    Lane.accumulate(&r, &s, d.re, d.im, d.imNeg, x3r, x3i)
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

    /// All targets in-lane: y = Σ_p c_p ⊙ permuted(x, p).
    private static func single(_ gate: LaneGate, _ state: Sliced) {
        let re = state.re, im = state.im
        let count = gate.permutations.count
        gate.table.withUnsafeBufferPointer { t in
        gate.permutations.withUnsafeBufferPointer { permutations in
            switch count {
            case 2:
                let m = permutations[1]
                forEachGroup(gate, state) { i in
                    let xr = re.loadLane(i), xi = im.loadLane(i)
                    let pr = xr.permuted(m), pi = xi.permuted(m)
                    var yr = (t[0] * xr).plus(t[2], times: xi)
                    var yi = (t[0] * xi).plus(t[1], times: xr)
                    Lane.accumulate(&yr, &yi, t[3], t[4], t[5], pr, pi)
                    re.storeLane(yr, i)
                    im.storeLane(yi, i)
                }
            default:
                forEachGroup(gate, state) { i in
                    let xr = re.loadLane(i), xi = im.loadLane(i)
                    var yr = (t[0] * xr).plus(t[2], times: xi)
                    var yi = (t[0] * xi).plus(t[1], times: xr)
                    for p in 1..<count {
                        let m = permutations[p]
                        Lane.accumulate(&yr, &yi, t[3 * p], t[3 * p + 1], t[3 * p + 2], xr.permuted(m), xi.permuted(m))
                    }
                    re.storeLane(yr, i)
                    im.storeLane(yi, i)
                }
            }
        }
        }
    }

    /// One outer and one in-lane target: two lanes, each output mixing both inputs and their permutations.
    private static func pair(_ gate: LaneGate, _ state: Sliced) {
        let re = state.re, im = state.im
        let offset = gate.laneOffsets[1]
        let m = gate.permutations[1]
        gate.table.withUnsafeBufferPointer { t in
            forEachGroup(gate, state) { i in
                let j = i &+ offset
                let ar = re.loadLane(i), ai = im.loadLane(i)
                let br = re.loadLane(j), bi = im.loadLane(j)
                let apr = ar.permuted(m), api = ai.permuted(m)
                let bpr = br.permuted(m), bpi = bi.permuted(m)
                // Table order per output: (input 0, p 0), (input 0, p m), (input 1, p 0), (input 1, p m).
                @inline(__always) func output(_ k: Int) -> (Lane, Lane) {
                    var yr = (t[k] * ar).plus(t[k + 2], times: ai)
                    var yi = (t[k] * ai).plus(t[k + 1], times: ar)
                    Lane.accumulate(&yr, &yi, t[k + 3], t[k + 4], t[k + 5], apr, api)
                    Lane.accumulate(&yr, &yi, t[k + 6], t[k + 7], t[k + 8], br, bi)
                    Lane.accumulate(&yr, &yi, t[k + 9], t[k + 10], t[k + 11], bpr, bpi)
                    return (yr, yi)
                }
                let (y0r, y0i) = output(0), (y1r, y1i) = output(12)
                re.storeLane(y0r, i)
                im.storeLane(y0i, i)
                re.storeLane(y1r, j)
                im.storeLane(y1i, j)
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
                        Lane.accumulate(&accRe, &accIm, term.re, term.im, term.imNeg, inRe[term.source], inIm[term.source])
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
