/// The dense lane kernels for 16-register SIMD (AVX2): the same gates, groups and coefficient tables as
/// `LaneKernels`, but each lane is processed as two 4-wide halves, so a half's inputs and accumulators stay in
/// registers and the coefficients are read straight from the table by the FMAs. (The 8-wide forms keep twice the
/// data live, which on AVX2 spilled to the stack on nearly every operation.) `LaneKernels` is the reference they
/// are tested against.
enum QuadKernels {
    /// Two outer targets, dense 4×4, input-stationary: per half, each input is loaded once and folded into all
    /// four outputs' accumulators: eight independent FMA chains (row by row gave two at a time, eight deep, and
    /// left the FMA units waiting on their latency). Each input's imaginary part is negated once, so a coefficient's
    /// real and imaginary quads are each loaded once and used twice: two loads per complex product, not three.
    /// 8 accumulators + 3 input quads + 2 coefficient quads fit AVX2's 16 registers.
    static func dense4(_ gate: LaneGate<Double>, _ state: LaneKernels.Sliced<Double>) {
        let re = state.re, im = state.im
        let o1 = gate.laneOffsets[1], o2 = gate.laneOffsets[2], o3 = gate.laneOffsets[3]
        let zero = Quad(repeating: 0)
        gate.terms.withUnsafeBufferPointer { t in
            LaneKernels.forEachGroup(gate, state) { group in
                @inline(__always) func half(_ h: Int) {
                    let i0 = group &+ 4 &* h, i1 = i0 &+ o1, i2 = i0 &+ o2, i3 = i0 &+ o3
                    // Terms are ordered by output then input: output o from input j is t[4o + j].
                    var xr = re.loadQuad(i0), xi = im.loadQuad(i0), xn = zero - xi
                    @inline(__always) func first(_ k: Int) -> (Quad, Quad) {
                        let c = t[k].re.half(h), d = t[k].im.half(h)
                        return ((c * xr).plus(d, times: xn), (c * xi).plus(d, times: xr))
                    }
                    var (y0r, y0i) = first(0), (y1r, y1i) = first(4), (y2r, y2i) = first(8), (y3r, y3i) = first(12)
                    @inline(__always) func input(_ j: Int, _ index: Int) {
                        xr = re.loadQuad(index)
                        xi = im.loadQuad(index)
                        xn = zero - xi
                        Quad.accumulate(&y0r, &y0i, t[j].re.half(h), t[j].im.half(h), input: xr, xi, negated: xn)
                        Quad.accumulate(&y1r, &y1i, t[4 + j].re.half(h), t[4 + j].im.half(h), input: xr, xi, negated: xn)
                        Quad.accumulate(&y2r, &y2i, t[8 + j].re.half(h), t[8 + j].im.half(h), input: xr, xi, negated: xn)
                        Quad.accumulate(&y3r, &y3i, t[12 + j].re.half(h), t[12 + j].im.half(h), input: xr, xi, negated: xn)
                    }
                    input(1, i1)
                    input(2, i2)
                    input(3, i3)
                    // Every input has been read: the outputs may overwrite them.
                    re.storeQuad(y0r, i0)
                    im.storeQuad(y0i, i0)
                    re.storeQuad(y1r, i1)
                    im.storeQuad(y1i, i1)
                    re.storeQuad(y2r, i2)
                    im.storeQuad(y2i, i2)
                    re.storeQuad(y3r, i3)
                    im.storeQuad(y3i, i3)
                }
                half(0)
                half(1)
            }
        }
    }

    /// One outer target, dense 2×2.
    static func dense2(_ gate: LaneGate<Double>, _ state: LaneKernels.Sliced<Double>) {
        let re = state.re, im = state.im
        let offset = gate.laneOffsets[1]
        gate.terms.withUnsafeBufferPointer { t in
            // Terms are ordered by output then input: (0←0), (0←1), (1←0), (1←1).
            let (a, b, c, d) = (t[0], t[1], t[2], t[3])
            LaneKernels.forEachGroup(gate, state) { group in
                @inline(__always) func half(_ h: Int) {
                    let i = group &+ 4 &* h, j = i &+ offset
                    let xr = re.loadQuad(i), xi = im.loadQuad(i), yr = re.loadQuad(j), yi = im.loadQuad(j)
                    var r0 = (a.re.half(h) * xr).plus(a.imNeg.half(h), times: xi)
                    var i0 = (a.re.half(h) * xi).plus(a.im.half(h), times: xr)
                    var r1 = (c.re.half(h) * xr).plus(c.imNeg.half(h), times: xi)
                    var i1 = (c.re.half(h) * xi).plus(c.im.half(h), times: xr)
                    Quad.accumulate(&r0, &i0, b.re.half(h), b.im.half(h), b.imNeg.half(h), yr, yi)
                    Quad.accumulate(&r1, &i1, d.re.half(h), d.im.half(h), d.imNeg.half(h), yr, yi)
                    re.storeQuad(r0, i)
                    im.storeQuad(i0, i)
                    re.storeQuad(r1, j)
                    im.storeQuad(i1, j)
                }
                half(0)
                half(1)
            }
        }
    }

    /// Two outer targets, one input per output times its coefficients (swap, cs, fused cx·phase blocks).
    static func phased(_ gate: LaneGate<Double>, _ state: LaneKernels.Sliced<Double>) {
        let re = state.re, im = state.im
        let offsets = gate.laneOffsets
        gate.terms.withUnsafeBufferPointer { t in
            let (c0, c1, c2, c3) = (t[0], t[1], t[2], t[3])
            let (d1, d2, d3) = (offsets[1], offsets[2], offsets[3])
            let (s0, s1, s2, s3) = (offsets[c0.input], offsets[c1.input], offsets[c2.input], offsets[c3.input])
            LaneKernels.forEachGroup(gate, state) { group in
                @inline(__always) func half(_ h: Int) {
                    let i = group &+ 4 &* h
                    let x0r = re.loadQuad(i &+ s0), x0i = im.loadQuad(i &+ s0)
                    let x1r = re.loadQuad(i &+ s1), x1i = im.loadQuad(i &+ s1)
                    let x2r = re.loadQuad(i &+ s2), x2i = im.loadQuad(i &+ s2)
                    let x3r = re.loadQuad(i &+ s3), x3i = im.loadQuad(i &+ s3)
                    re.storeQuad((c0.re.half(h) * x0r).plus(c0.imNeg.half(h), times: x0i), i)
                    im.storeQuad((c0.re.half(h) * x0i).plus(c0.im.half(h), times: x0r), i)
                    re.storeQuad((c1.re.half(h) * x1r).plus(c1.imNeg.half(h), times: x1i), i &+ d1)
                    im.storeQuad((c1.re.half(h) * x1i).plus(c1.im.half(h), times: x1r), i &+ d1)
                    re.storeQuad((c2.re.half(h) * x2r).plus(c2.imNeg.half(h), times: x2i), i &+ d2)
                    im.storeQuad((c2.re.half(h) * x2i).plus(c2.im.half(h), times: x2r), i &+ d2)
                    re.storeQuad((c3.re.half(h) * x3r).plus(c3.imNeg.half(h), times: x3i), i &+ d3)
                    im.storeQuad((c3.re.half(h) * x3i).plus(c3.im.half(h), times: x3r), i &+ d3)
                }
                half(0)
                half(1)
            }
        }
    }

    /// One outer and one in-lane target. An in-lane target on qubit 2 exchanges the halves (so both halves of
    /// both lanes are loaded before anything is stored); on qubit 0 or 1 each half is permuted within itself and
    /// runs on its own.
    static func pair(_ gate: LaneGate<Double>, _ state: LaneKernels.Sliced<Double>) {
        switch gate.permutations[1] {
        case 1: pairWithinHalves(gate, state, permutation: 1)
        case 2: pairWithinHalves(gate, state, permutation: 2)
        default: pairAcrossHalves(gate, state)
        }
    }

    /// Table order per output (12 lanes from `n`): (input 0, p 0), (input 0, p m), (input 1, p 0), (input 1, p m),
    /// each as re, im, −im.
    @inline(__always)
    private static func pairOutput(
        _ t: UnsafeBufferPointer<Lane<Double>>, _ n: Int, _ h: Int,
        _ ar: Quad, _ ai: Quad, _ apr: Quad, _ api: Quad, _ br: Quad, _ bi: Quad, _ bpr: Quad, _ bpi: Quad
    ) -> (Quad, Quad) {
        // Input 0's and input 1's terms in separate sums: four chains four deep per output instead of two eight
        // deep (the FMA units wait on latency otherwise; the two adds go to other ports).
        var r = (t[n].half(h) * ar).plus(t[n + 2].half(h), times: ai)
        var s = (t[n].half(h) * ai).plus(t[n + 1].half(h), times: ar)
        var u = (t[n + 6].half(h) * br).plus(t[n + 8].half(h), times: bi)
        var v = (t[n + 6].half(h) * bi).plus(t[n + 7].half(h), times: br)
        Quad.accumulate(&r, &s, t[n + 3].half(h), t[n + 4].half(h), t[n + 5].half(h), apr, api)
        Quad.accumulate(&u, &v, t[n + 9].half(h), t[n + 10].half(h), t[n + 11].half(h), bpr, bpi)
        return (r + u, s + v)
    }

    @inline(__always)
    private static func pairWithinHalves(_ gate: LaneGate<Double>, _ state: LaneKernels.Sliced<Double>, permutation m: Int) {
        let re = state.re, im = state.im
        let offset = gate.laneOffsets[1]
        gate.table.withUnsafeBufferPointer { t in
            LaneKernels.forEachGroup(gate, state) { group in
                @inline(__always) func half(_ h: Int) {
                    let i = group &+ 4 &* h, j = i &+ offset
                    let ar = re.loadQuad(i), ai = im.loadQuad(i), br = re.loadQuad(j), bi = im.loadQuad(j)
                    let apr = ar.permuted(m), api = ai.permuted(m), bpr = br.permuted(m), bpi = bi.permuted(m)
                    let (y0r, y0i) = pairOutput(t, 0, h, ar, ai, apr, api, br, bi, bpr, bpi)
                    let (y1r, y1i) = pairOutput(t, 12, h, ar, ai, apr, api, br, bi, bpr, bpi)
                    re.storeQuad(y0r, i)
                    im.storeQuad(y0i, i)
                    re.storeQuad(y1r, j)
                    im.storeQuad(y1i, j)
                }
                half(0)
                half(1)
            }
        }
    }

    private static func pairAcrossHalves(_ gate: LaneGate<Double>, _ state: LaneKernels.Sliced<Double>) {
        let re = state.re, im = state.im
        let offset = gate.laneOffsets[1]
        gate.table.withUnsafeBufferPointer { t in
            LaneKernels.forEachGroup(gate, state) { i in
                let j = i &+ offset
                let a0r = re.loadQuad(i), a0i = im.loadQuad(i), a1r = re.loadQuad(i &+ 4), a1i = im.loadQuad(i &+ 4)
                let b0r = re.loadQuad(j), b0i = im.loadQuad(j), b1r = re.loadQuad(j &+ 4), b1i = im.loadQuad(j &+ 4)
                // The permuted partner of half h is the other half.
                let (y00r, y00i) = pairOutput(t, 0, 0, a0r, a0i, a1r, a1i, b0r, b0i, b1r, b1i)
                let (y01r, y01i) = pairOutput(t, 0, 1, a1r, a1i, a0r, a0i, b1r, b1i, b0r, b0i)
                let (y10r, y10i) = pairOutput(t, 12, 0, a0r, a0i, a1r, a1i, b0r, b0i, b1r, b1i)
                let (y11r, y11i) = pairOutput(t, 12, 1, a1r, a1i, a0r, a0i, b1r, b1i, b0r, b0i)
                re.storeQuad(y00r, i)
                im.storeQuad(y00i, i)
                re.storeQuad(y01r, i &+ 4)
                im.storeQuad(y01i, i &+ 4)
                re.storeQuad(y10r, j)
                im.storeQuad(y10i, j)
                re.storeQuad(y11r, j &+ 4)
                im.storeQuad(y11i, j &+ 4)
            }
        }
    }
}
