/// Four consecutive amplitudes' real (or imaginary) parts: one AVX2 register. The 4-wide kernels read a `Lane`
/// as two of these (amplitudes 0–3 and 4–7 of the lane), so in-lane qubit 2 selects the half.
typealias Quad = SIMD4<Double>

extension UnsafeMutablePointer where Pointee == Double {
    @inline(__always)
    func loadQuad(_ index: Int) -> Quad {
        UnsafeRawPointer(self + index).loadUnaligned(as: Quad.self)
    }

    @inline(__always)
    func storeQuad(_ quad: Quad, _ index: Int) {
        UnsafeMutableRawPointer(self + index).storeBytes(of: quad, as: Quad.self)
    }
}

extension SIMD8 where Scalar == Double {
    /// Amplitudes 4·half … 4·half + 3 of the lane (`half` is a constant at every call, so this is one load).
    @inline(__always)
    func half(_ half: Int) -> Quad { half == 0 ? lowHalf : highHalf }
}

extension SIMD4 where Scalar == Double {
    /// self + a·b, fused where the build's CPU has FMA (see `Lane.plus`).
    @inline(__always)
    func plus(_ a: Quad, times b: Quad) -> Quad {
        #if SIMULATOR_FMA
        addingProduct(a, b)
        #else
        self + a * b
        #endif
    }

    /// acc += c · x for complex quads, the input's imaginary part also given negated (`xImNeg`): the
    /// coefficient's parts are then each used twice, with no negated copy of them.
    @inline(__always)
    static func accumulate(
        _ accRe: inout Quad, _ accIm: inout Quad, _ cRe: Quad, _ cIm: Quad, input xRe: Quad, _ xIm: Quad, negated xImNeg: Quad
    ) {
        accRe = accRe.plus(cRe, times: xRe).plus(cIm, times: xImNeg)
        accIm = accIm.plus(cRe, times: xIm).plus(cIm, times: xRe)
    }

    /// acc += c · x for complex quads, with the coefficient's imaginary part also given negated.
    @inline(__always)
    static func accumulate(
        _ accRe: inout Quad, _ accIm: inout Quad, _ cRe: Quad, _ cIm: Quad, _ cImNeg: Quad, _ xRe: Quad, _ xIm: Quad
    ) {
        accRe = accRe.plus(cRe, times: xRe).plus(cImNeg, times: xIm)
        accIm = accIm.plus(cRe, times: xIm).plus(cIm, times: xRe)
    }

    /// Element i takes the value of element i ^ mask (mask 1 or 2: in-lane qubit 0 or 1).
    @inline(__always)
    func permuted(_ mask: Int) -> Quad {
        switch mask {
        case 0: self
        case 1: Quad(self[1], self[0], self[3], self[2])
        case 2: Quad(lowHalf: highHalf, highHalf: lowHalf)
        default: Quad(self[3], self[2], self[1], self[0])
        }
    }
}
