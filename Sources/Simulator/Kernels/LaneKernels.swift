/// Applies `LaneGate`s to a state of at least three qubits, eight amplitudes per instruction.
enum LaneKernels {
    /// `slice` restricts the gate to the groups where some further qubits have given values, so workers can
    /// split one gate: together the slices must cover every value of those qubits.
    /// `width` picks the form of the dense kernels (`.four`: `QuadKernels`); both give the same amplitudes.
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    static func apply<S: StateScalar>(_ gate: LaneGate<S>, to state: StateView<S>, slice: KernelSlice = .whole, width: LaneWidth = .eight) {
        let s = Sliced(state: state, slice: slice)
        // The 4-wide forms exist for double precision only: a single-precision lane is already one AVX2 register.
        if width == .four, S.self == Double.self,
           applyQuad(unsafeBitCast(gate, to: LaneGate<Double>.self), unsafeBitCast(s, to: Sliced<Double>.self)) {
            return
        }
        switch (gate.shape, width) {
        // With 16 registers a single-precision lane is one register, as a double quad is: one group at a time keeps
        // a group's inputs in registers (two groups per coefficient load spill, as 8-wide doubles do).
        case (.dense4, .four): dense4Stationary(gate, s)
        case (.pair, .four): pairSingle(gate, s)
        default: applyEight(gate, s)
        }
    }

    @inline(__always)
    private static func applyEight<S: StateScalar>(_ gate: LaneGate<S>, _ s: Sliced<S>) {
        switch gate.shape {
        case .scale: scale(gate, s)
        case .move: move(gate, s)
        case .phased: phased(gate, s)
        case .dense2: dense2(gate, s)
        case .dense4: dense4(gate, s)
        case .single: single(gate, s)
        case .pair: pair(gate, s)
        case .general: general(gate, s)
        }
    }

    /// The shapes `QuadKernels` has a form of; false for the others.
    private static func applyQuad(_ gate: LaneGate<Double>, _ s: Sliced<Double>) -> Bool {
        switch gate.shape {
        case .phased: QuadKernels.phased(gate, s)
        case .dense2: QuadKernels.dense2(gate, s)
        case .dense4: QuadKernels.dense4(gate, s)
        case .pair: QuadKernels.pair(gate, s)
        default: return false
        }
        return true
    }

    /// A state plus the slice of it a kernel call covers.
    struct Sliced<S: StateScalar> {
        let state: StateView<S>
        let slice: KernelSlice
        var re: UnsafeMutablePointer<S> { state.re }
        var im: UnsafeMutablePointer<S> { state.im }
    }

    /// Visits every group: `body(firstIndex)` for each, where the group's lanes are at firstIndex + laneOffsets.
    /// Lane indices with the fixed bits clear are enumerated by the add-through-the-mask trick: setting the fixed
    /// bits before adding one carries straight past them.
    @inline(__always)
    static func forEachGroup<S: StateScalar>(_ gate: LaneGate<S>, _ s: Sliced<S>, alsoFixing extra: Int? = nil, _ body: (Int) -> Void) {
        let laneBits = s.state.qubits - LaneLayout.bits
        var fixed = ~((1 &<< laneBits) &- 1)
        // The paired kernels visit only groups where their partner qubit is zero.
        if let extra { fixed |= 1 &<< (extra - LaneLayout.bits) }
        for qubit in gate.fixedQubits { fixed |= 1 &<< (qubit - LaneLayout.bits) }
        for qubit in s.slice.qubits { fixed |= 1 &<< (qubit - LaneLayout.bits) }
        let values = gate.fixedValues | s.slice.values
        var lane = 0
        repeat {
            body((lane &<< LaneLayout.bits) | values)
            lane = ((lane | fixed) &+ 1) & ~fixed
        } while lane != 0
    }

    /// The groups' first indices as a sequence, for the generic kernels: a plain loop over it keeps the loop body
    /// (and the coefficients it holds in registers) in the kernel, where a closure per group was left as a call
    /// once the kernels became generic over the scalar.
    @inline(__always)
    static func groups<S: StateScalar>(_ gate: LaneGate<S>, _ s: Sliced<S>, alsoFixing extra: Int? = nil) -> GroupIndices {
        let laneBits = s.state.qubits - LaneLayout.bits
        var fixed = ~((1 &<< laneBits) &- 1)
        if let extra { fixed |= 1 &<< (extra - LaneLayout.bits) }
        for qubit in gate.fixedQubits { fixed |= 1 &<< (qubit - LaneLayout.bits) }
        for qubit in s.slice.qubits { fixed |= 1 &<< (qubit - LaneLayout.bits) }
        return GroupIndices(fixed: fixed, values: gate.fixedValues | s.slice.values)
    }

    /// Lane indices with the `fixed` bits clear, by the add-through-the-mask trick, as first amplitude indices.
    struct GroupIndices: Sequence, IteratorProtocol {
        let fixed: Int
        let values: Int
        private var lane = 0
        private var finished = false

        init(fixed: Int, values: Int) {
            self.fixed = fixed
            self.values = values
        }

        @inline(__always)
        mutating func next() -> Int? {
            guard !finished else { return nil }
            let index = (lane &<< LaneLayout.bits) | values
            lane = ((lane | fixed) &+ 1) & ~fixed
            finished = lane == 0
            return index
        }
    }

    /// Permutation-like gates: each written lane is another (possibly lane-permuted) lane, unscaled (x, cx, swap).
    private static func move<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        let re = state.re, im = state.im
        if gate.laneOffsets.count == 2, gate.terms.count == 2, gate.terms.allSatisfy({ $0.permutation == 0 }) {
            // x / cx on an outer qubit: exchange the two lanes.
            let offset = gate.laneOffsets[1]
            for i in Self.groups(gate, state) {
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
        withUnsafeTemporaryAllocation(of: Lane<S>.self, capacity: 2 * groups) { lanes in
            let inRe = lanes.baseAddress!, inIm = inRe + groups
            for base in Self.groups(gate, state) {
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
    private static func scale<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        let re = state.re, im = state.im
        for o in 0..<gate.laneOffsets.count where gate.outputsWritten[o] {
            let term = gate.terms[gate.termStart[o]]
            let (cr, ci, cn) = (term.re, term.im, term.imNeg)
            let offset = gate.laneOffsets[o]
            for base in Self.groups(gate, state) {
                let i = base &+ offset
                let xr = re.loadLane(i), xi = im.loadLane(i)
                re.storeLane((cr * xr).plus(cn, times: xi), i)
                im.storeLane((cr * xi).plus(ci, times: xr), i)
            }
        }
    }

    /// Two outer targets, one input per output, each times its coefficients: every source lane is loaded before
    /// any output is stored, so outputs may overwrite their group's lanes.
    private static func phased<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        let re = state.re, im = state.im
        let t = gate.terms, offsets = gate.laneOffsets
        let (c0, c1, c2, c3) = (t[0], t[1], t[2], t[3])
        let (d1, d2, d3) = (offsets[1], offsets[2], offsets[3])
        let (s0, s1, s2, s3) = (offsets[c0.input], offsets[c1.input], offsets[c2.input], offsets[c3.input])
        for i in Self.groups(gate, state) {
            let x0r = re.loadLane(i &+ s0), x0i = im.loadLane(i &+ s0), x1r = re.loadLane(i &+ s1), x1i = im.loadLane(i &+ s1)
            let x2r = re.loadLane(i &+ s2), x2i = im.loadLane(i &+ s2), x3r = re.loadLane(i &+ s3), x3i = im.loadLane(i &+ s3)
            re.storeLane((c0.re * x0r).plus(c0.imNeg, times: x0i), i)
            im.storeLane((c0.re * x0i).plus(c0.im, times: x0r), i)
            re.storeLane((c1.re * x1r).plus(c1.imNeg, times: x1i), i &+ d1)
            im.storeLane((c1.re * x1i).plus(c1.im, times: x1r), i &+ d1)
            re.storeLane((c2.re * x2r).plus(c2.imNeg, times: x2i), i &+ d2)
            im.storeLane((c2.re * x2i).plus(c2.im, times: x2r), i &+ d2)
            re.storeLane((c3.re * x3r).plus(c3.imNeg, times: x3i), i &+ d3)
            im.storeLane((c3.re * x3i).plus(c3.im, times: x3r), i &+ d3)
        }
    }

    /// One outer target, plain 2×2 mixing (h, rx, u3, … on qubits ≥ 3, possibly controlled).
    private static func dense2<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        let t = gate.terms
        let offset = gate.laneOffsets[1]
        // Terms are ordered by output then input: (0←0), (0←1), (1←0), (1←1).
        let (a, b, c, d) = (t[0], t[1], t[2], t[3])
        let re = state.re, im = state.im
        for i in Self.groups(gate, state) {
            let j = i &+ offset
            let xr = re.loadLane(i), xi = im.loadLane(i)
            let yr = re.loadLane(j), yi = im.loadLane(j)
            var r0 = a.re * xr, i0 = a.re * xi
            var r1 = c.re * xr, i1 = c.re * xi
            r0 = r0.plus(a.imNeg, times: xi)
            i0 = i0.plus(a.im, times: xr)
            r1 = r1.plus(c.imNeg, times: xi)
            i1 = i1.plus(c.im, times: xr)
            Lane<S>.accumulate(&r0, &i0, b.re, b.im, b.imNeg, yr, yi)
            Lane<S>.accumulate(&r1, &i1, d.re, d.im, d.imNeg, yr, yi)
            re.storeLane(r0, i)
            im.storeLane(i0, i)
            re.storeLane(r1, j)
            im.storeLane(i1, j)
        }
    }

    /// Two outer targets, dense 4×4 (random two-qubit unitaries, fused pairs). Two groups at a time (the second
    /// one `partner` amplitudes up): each coefficient load then feeds two FMAs, so the loop is bound by the FMA
    /// units rather than by loads (the 32 coefficient lanes do not fit in registers next to the amplitudes).
    private static func dense4<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        let re = state.re, im = state.im
        let o1 = gate.laneOffsets[1], o2 = gate.laneOffsets[2], o3 = gate.laneOffsets[3]
        guard let partnerQubit = freeOuterQubit(gate, state) else {
            dense4Single(gate, state)
            return
        }
        let partner = 1 &<< partnerQubit
        gate.terms.withUnsafeBufferPointer { t in
            for a0 in Self.groups(gate, state, alsoFixing: partnerQubit) {
                let a1 = a0 &+ o1, a2 = a0 &+ o2, a3 = a0 &+ o3
                let b0 = a0 &+ partner, b1 = a1 &+ partner, b2 = a2 &+ partner, b3 = a3 &+ partner
                let x0r = re.loadLane(a0), x0i = im.loadLane(a0), x1r = re.loadLane(a1), x1i = im.loadLane(a1)
                let x2r = re.loadLane(a2), x2i = im.loadLane(a2), x3r = re.loadLane(a3), x3i = im.loadLane(a3)
                let z0r = re.loadLane(b0), z0i = im.loadLane(b0), z1r = re.loadLane(b1), z1i = im.loadLane(b1)
                let z2r = re.loadLane(b2), z2i = im.loadLane(b2), z3r = re.loadLane(b3), z3i = im.loadLane(b3)
                @inline(__always) func row(_ k: Int, _ outA: Int, _ outB: Int) {
                    let a = t[k], b = t[k + 1], c = t[k + 2], d = t[k + 3]
                    var xr = a.re * x0r, xi = a.re * x0i, zr = a.re * z0r, zi = a.re * z0i
                    xr = xr.plus(a.imNeg, times: x0i)
                    xi = xi.plus(a.im, times: x0r)
                    zr = zr.plus(a.imNeg, times: z0i)
                    zi = zi.plus(a.im, times: z0r)
                    Lane<S>.accumulate(&xr, &xi, &zr, &zi, b, x1r, x1i, z1r, z1i)
                    Lane<S>.accumulate(&xr, &xi, &zr, &zi, c, x2r, x2i, z2r, z2i)
                    Lane<S>.accumulate(&xr, &xi, &zr, &zi, d, x3r, x3i, z3r, z3i)
                    re.storeLane(xr, outA)
                    im.storeLane(xi, outA)
                    re.storeLane(zr, outB)
                    im.storeLane(zi, outB)
                }
                // Every input is loaded above, so rows may overwrite their lanes as they go.
                row(0, a0, b0)
                row(4, a1, b1)
                row(8, a2, b2)
                row(12, a3, b3)
            }
        }
    }

    /// The lowest outer qubit the gate, its controls and the slice all leave free (nil when there is none).
    private static func freeOuterQubit<S: StateScalar>(_ gate: LaneGate<S>, _ s: Sliced<S>) -> Int? {
        var fixed = 0
        for qubit in gate.fixedQubits { fixed |= 1 &<< qubit }
        for qubit in s.slice.qubits { fixed |= 1 &<< qubit }
        return (LaneLayout.bits..<s.state.qubits).first { fixed & (1 &<< $0) == 0 }
    }

    /// `dense4` one group at a time, input-stationary, for a lane that is one register of a 16-register CPU
    /// (single precision on AVX2): each input is loaded once and folded into all four outputs' accumulators, so
    /// eight independent FMA chains advance together. Row by row (`dense4Single`) gave two chains eight deep at a
    /// time and left the FMA units waiting on their latency, as `QuadKernels.dense4` found for double precision.
    /// The input's imaginary part is negated once, so each coefficient part is loaded once and used twice.
    /// 8 accumulators + 3 input lanes + 2 coefficient lanes fit AVX2's 16 registers.
    private static func dense4Stationary<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        let re = state.re, im = state.im
        let o1 = gate.laneOffsets[1], o2 = gate.laneOffsets[2], o3 = gate.laneOffsets[3]
        let zero = Lane<S>(repeating: 0)
        gate.terms.withUnsafeBufferPointer { t in
            for i0 in Self.groups(gate, state) {
                // Terms are ordered by output then input: output o from input j is t[4o + j].
                var xr = re.loadLane(i0), xi = im.loadLane(i0), xn = zero - xi
                @inline(__always) func first(_ k: Int) -> (Lane<S>, Lane<S>) {
                    let c = t[k].re, d = t[k].im
                    return ((c * xr).plus(d, times: xn), (c * xi).plus(d, times: xr))
                }
                var (y0r, y0i) = first(0), (y1r, y1i) = first(4), (y2r, y2i) = first(8), (y3r, y3i) = first(12)
                @inline(__always) func input(_ j: Int, _ index: Int) {
                    xr = re.loadLane(index)
                    xi = im.loadLane(index)
                    xn = zero - xi
                    Lane<S>.accumulate(&y0r, &y0i, t[j].re, t[j].im, input: xr, xi, negated: xn)
                    Lane<S>.accumulate(&y1r, &y1i, t[4 + j].re, t[4 + j].im, input: xr, xi, negated: xn)
                    Lane<S>.accumulate(&y2r, &y2i, t[8 + j].re, t[8 + j].im, input: xr, xi, negated: xn)
                    Lane<S>.accumulate(&y3r, &y3i, t[12 + j].re, t[12 + j].im, input: xr, xi, negated: xn)
                }
                let i1 = i0 &+ o1, i2 = i0 &+ o2, i3 = i0 &+ o3
                input(1, i1)
                input(2, i2)
                input(3, i3)
                // Every input has been read: the outputs may overwrite them.
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

    /// `dense4` one group at a time, for states where no outer qubit is left to pair groups.
    private static func dense4Single<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        let re = state.re, im = state.im
        let o1 = gate.laneOffsets[1], o2 = gate.laneOffsets[2], o3 = gate.laneOffsets[3]
        gate.terms.withUnsafeBufferPointer { t in
            for i0 in Self.groups(gate, state) {
                let i1 = i0 &+ o1, i2 = i0 &+ o2, i3 = i0 &+ o3
                let x0r = re.loadLane(i0), x0i = im.loadLane(i0)
                let x1r = re.loadLane(i1), x1i = im.loadLane(i1)
                let x2r = re.loadLane(i2), x2i = im.loadLane(i2)
                let x3r = re.loadLane(i3), x3i = im.loadLane(i3)
                @inline(__always) func row(_ k: Int) -> (Lane<S>, Lane<S>) {
                    let a = t[k], b = t[k + 1], c = t[k + 2], d = t[k + 3]
                    var r = (a.re * x0r).plus(a.imNeg, times: x0i)
                    var s = (a.re * x0i).plus(a.im, times: x0r)
                    Lane<S>.accumulate(&r, &s, b.re, b.im, b.imNeg, x1r, x1i)
                    Lane<S>.accumulate(&r, &s, c.re, c.im, c.imNeg, x2r, x2i)
                    Lane<S>.accumulate(&r, &s, d.re, d.im, d.imNeg, x3r, x3i)
                    return (r, s)
                }
                // Every input is loaded above, so rows may overwrite their lanes as they go (fewer live registers).
                let (y0r, y0i) = row(0)
                re.storeLane(y0r, i0)
                im.storeLane(y0i, i0)
                let (y1r, y1i) = row(4)
                re.storeLane(y1r, i1)
                im.storeLane(y1i, i1)
                let (y2r, y2i) = row(8)
                re.storeLane(y2r, i2)
                im.storeLane(y2i, i2)
                let (y3r, y3i) = row(12)
                re.storeLane(y3r, i3)
                im.storeLane(y3i, i3)
            }
        }
    }

    /// All targets in-lane: y = Σ_p c_p ⊙ permuted(x, p).
    private static func single<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        // The common cases run without closures around the loop: nested in a generic function, the specialised
        // closures were no longer inlined into it (2.3x the instructions of the double-only code before).
        let t = gate.table, permutations = gate.permutations
        switch permutations.count {
        case 2:
            // One in-lane target: the six coefficient lanes stay in registers and each loop has its permutation
            // fixed (read through the table and a runtime mask, the loop body was a call per lane).
            let c = (t[0], t[1], t[2], t[3], t[4], t[5])
            switch permutations[1] {
            case 1: singleTarget(gate, state, c, 1)
            case 2: singleTarget(gate, state, c, 2)
            case 4: singleTarget(gate, state, c, 4)
            default: singleTarget(gate, state, c, permutations[1])
            }
        case 4:
            // Two in-lane targets (a two-qubit block on qubits 0–2): the twelve coefficient lanes fit in
            // registers, so they are read once instead of once per lane.
            let re = state.re, im = state.im
            let (m1, m2, m3) = (permutations[1], permutations[2], permutations[3])
            let (c0r, c0i, c0n) = (t[0], t[1], t[2]), (c1r, c1i, c1n) = (t[3], t[4], t[5])
            let (c2r, c2i, c2n) = (t[6], t[7], t[8]), (c3r, c3i, c3n) = (t[9], t[10], t[11])
            for i in Self.groups(gate, state) {
                let xr = re.loadLane(i), xi = im.loadLane(i)
                var yr = (c0r * xr).plus(c0n, times: xi)
                var yi = (c0r * xi).plus(c0i, times: xr)
                Lane<S>.accumulate(&yr, &yi, c1r, c1i, c1n, xr.permuted(m1), xi.permuted(m1))
                Lane<S>.accumulate(&yr, &yi, c2r, c2i, c2n, xr.permuted(m2), xi.permuted(m2))
                Lane<S>.accumulate(&yr, &yi, c3r, c3i, c3n, xr.permuted(m3), xi.permuted(m3))
                re.storeLane(yr, i)
                im.storeLane(yi, i)
            }
        default:
            singleGeneral(gate, state)
        }
    }

    /// One in-lane target with permutation `m` (a constant at each call site, so the shuffle is fixed).
    @inline(__always)
    private static func singleTarget<S: StateScalar>(
        _ gate: LaneGate<S>, _ state: Sliced<S>, _ c: (Lane<S>, Lane<S>, Lane<S>, Lane<S>, Lane<S>, Lane<S>), _ m: Int
    ) {
        let re = state.re, im = state.im
        let (c0r, c0i, c0n, c1r, c1i, c1n) = c
        for i in Self.groups(gate, state) {
            let xr = re.loadLane(i), xi = im.loadLane(i)
            var yr = (c0r * xr).plus(c0n, times: xi)
            var yi = (c0r * xi).plus(c0i, times: xr)
            Lane<S>.accumulate(&yr, &yi, c1r, c1i, c1n, xr.permuted(m), xi.permuted(m))
            re.storeLane(yr, i)
            im.storeLane(yi, i)
        }
    }

    /// Three in-lane targets: Σ over the eight permutations.
    private static func singleGeneral<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        let re = state.re, im = state.im
        let count = gate.permutations.count
        gate.table.withUnsafeBufferPointer { t in
        gate.permutations.withUnsafeBufferPointer { permutations in
            for i in Self.groups(gate, state) {
                let xr = re.loadLane(i), xi = im.loadLane(i)
                var yr = (t[0] * xr).plus(t[2], times: xi)
                var yi = (t[0] * xi).plus(t[1], times: xr)
                for p in 1..<count {
                    let m = permutations[p]
                    Lane<S>.accumulate(&yr, &yi, t[3 * p], t[3 * p + 1], t[3 * p + 2], xr.permuted(m), xi.permuted(m))
                }
                re.storeLane(yr, i)
                im.storeLane(yi, i)
            }
        }
        }
    }

    /// One outer and one in-lane target: two lanes, each output mixing both inputs and their permutations.
    /// Like `dense4`, two groups share each coefficient load when an outer qubit is free to pair them.
    private static func pair<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        let re = state.re, im = state.im
        let offset = gate.laneOffsets[1]
        let m = gate.permutations[1]
        guard let partnerQubit = freeOuterQubit(gate, state) else {
            pairSingle(gate, state)
            return
        }
        let partner = 1 &<< partnerQubit
        gate.table.withUnsafeBufferPointer { t in
            for i in Self.groups(gate, state, alsoFixing: partnerQubit) {
                let j = i &+ offset, k = i &+ partner, l = j &+ partner
                let ar = re.loadLane(i), ai = im.loadLane(i), br = re.loadLane(j), bi = im.loadLane(j)
                let cr = re.loadLane(k), ci = im.loadLane(k), dr = re.loadLane(l), di = im.loadLane(l)
                let apr = ar.permuted(m), api = ai.permuted(m), bpr = br.permuted(m), bpi = bi.permuted(m)
                let cpr = cr.permuted(m), cpi = ci.permuted(m), dpr = dr.permuted(m), dpi = di.permuted(m)
                // Table order per output: (input 0, p 0), (input 0, p m), (input 1, p 0), (input 1, p m).
                @inline(__always) func output(_ n: Int, _ first: Int, _ second: Int) {
                    let (c0r, c0i, c0n) = (t[n], t[n + 1], t[n + 2])
                    var xr = (c0r * ar).plus(c0n, times: ai), xi = (c0r * ai).plus(c0i, times: ar)
                    var zr = (c0r * cr).plus(c0n, times: ci), zi = (c0r * ci).plus(c0i, times: cr)
                    Lane<S>.accumulate(&xr, &xi, &zr, &zi, t[n + 3], t[n + 4], t[n + 5], apr, api, cpr, cpi)
                    Lane<S>.accumulate(&xr, &xi, &zr, &zi, t[n + 6], t[n + 7], t[n + 8], br, bi, dr, di)
                    Lane<S>.accumulate(&xr, &xi, &zr, &zi, t[n + 9], t[n + 10], t[n + 11], bpr, bpi, dpr, dpi)
                    re.storeLane(xr, first)
                    im.storeLane(xi, first)
                    re.storeLane(zr, second)
                    im.storeLane(zi, second)
                }
                output(0, i, k)
                output(12, j, l)
            }
        }
    }

    /// `pair` one group at a time.
    private static func pairSingle<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
        let re = state.re, im = state.im
        let offset = gate.laneOffsets[1]
        let m = gate.permutations[1]
        gate.table.withUnsafeBufferPointer { t in
            for i in Self.groups(gate, state) {
                let j = i &+ offset
                let ar = re.loadLane(i), ai = im.loadLane(i)
                let br = re.loadLane(j), bi = im.loadLane(j)
                let apr = ar.permuted(m), api = ai.permuted(m)
                let bpr = br.permuted(m), bpi = bi.permuted(m)
                // Table order per output: (input 0, p 0), (input 0, p m), (input 1, p 0), (input 1, p m).
                // Input 0's and input 1's terms in separate sums (as `QuadKernels.pairOutput`): four chains four
                // deep per output instead of two eight deep.
                @inline(__always) func output(_ k: Int) -> (Lane<S>, Lane<S>) {
                    var yr = (t[k] * ar).plus(t[k + 2], times: ai)
                    var yi = (t[k] * ai).plus(t[k + 1], times: ar)
                    var zr = (t[k + 6] * br).plus(t[k + 8], times: bi)
                    var zi = (t[k + 6] * bi).plus(t[k + 7], times: br)
                    Lane<S>.accumulate(&yr, &yi, t[k + 3], t[k + 4], t[k + 5], apr, api)
                    Lane<S>.accumulate(&zr, &zi, t[k + 9], t[k + 10], t[k + 11], bpr, bpi)
                    return (yr + zr, yi + zi)
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
    private static func general<S: StateScalar>(_ gate: LaneGate<S>, _ state: Sliced<S>) {
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
        withUnsafeTemporaryAllocation(of: Lane<S>.self, capacity: 2 * sources) { lanes in
            let inRe = lanes.baseAddress!, inIm = inRe + sources
            for base in Self.groups(gate, state) {
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
                    var accRe = Lane<S>(repeating: 0), accIm = Lane<S>(repeating: 0)
                    for k in termStart[o]..<termStart[o + 1] {
                        let term = terms[k]
                        Lane<S>.accumulate(&accRe, &accIm, term.re, term.im, term.imNeg, inRe[term.source], inIm[term.source])
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
