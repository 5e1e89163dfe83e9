/// Eight consecutive amplitudes' real (or imaginary) parts: the unit every chunk kernel computes with.
/// Qubits 0, 1, 2 live inside a lane; gates on them use the lane permutations below. In single precision a lane
/// is one AVX2 register, in double precision two (or one AVX-512 register).
typealias Lane<S: SIMDScalar> = SIMD8<S>

enum LaneLayout {
    /// Qubits addressed inside one lane.
    static let bits = 3
    static let width = 1 << bits
}

extension UnsafeMutablePointer where Pointee: StateScalar {
    @inline(__always)
    func loadLane(_ index: Int) -> Lane<Pointee> {
        UnsafeRawPointer(self + index).loadUnaligned(as: Lane<Pointee>.self)
    }

    @inline(__always)
    func storeLane(_ lane: Lane<Pointee>, _ index: Int) {
        UnsafeMutableRawPointer(self + index).storeBytes(of: lane, as: Lane<Pointee>.self)
    }
}

extension SIMD8 where Scalar: StateScalar {
    typealias Lane = SIMD8<Scalar>

    /// self + a·b, fused when the build targets a CPU with FMA (define SIMULATOR_FMA together with a
    /// `-target-cpu`; without one the fused form would be a library call per element).
    @inline(__always)
    func plus(_ a: Lane, times b: Lane) -> Lane {
        #if SIMULATOR_FMA
        addingProduct(a, b)
        #else
        self + a * b
        #endif
    }

    /// acc += c · x for complex lanes, with the coefficient's imaginary part also given negated.
    @inline(__always)
    static func accumulate(
        _ accRe: inout Lane, _ accIm: inout Lane, _ cRe: Lane, _ cIm: Lane, _ cImNeg: Lane, _ xRe: Lane, _ xIm: Lane
    ) {
        accRe = accRe.plus(cRe, times: xRe).plus(cImNeg, times: xIm)
        accIm = accIm.plus(cRe, times: xIm).plus(cIm, times: xRe)
    }

    /// acc += c · x with the input's imaginary part also given negated (`xImNeg`): the coefficient's parts are then
    /// each used twice, with no negated copy of them (the lane form of `Quad.accumulate(_:_:_:_:input:_:negated:)`).
    @inline(__always)
    static func accumulate(
        _ accRe: inout Lane, _ accIm: inout Lane, _ cRe: Lane, _ cIm: Lane, input xRe: Lane, _ xIm: Lane, negated xImNeg: Lane
    ) {
        accRe = accRe.plus(cRe, times: xRe).plus(cIm, times: xImNeg)
        accIm = accIm.plus(cRe, times: xIm).plus(cIm, times: xRe)
    }

    /// `accumulate` for two groups sharing one coefficient (each coefficient lane is loaded once for both).
    @inline(__always)
    static func accumulate(
        _ xRe: inout Lane, _ xIm: inout Lane, _ zRe: inout Lane, _ zIm: inout Lane, _ c: LaneGate<Scalar>.Term,
        _ aRe: Lane, _ aIm: Lane, _ bRe: Lane, _ bIm: Lane
    ) {
        let cRe = c.re, cIm = c.im, cImNeg = c.imNeg
        xRe = xRe.plus(cRe, times: aRe).plus(cImNeg, times: aIm)
        xIm = xIm.plus(cRe, times: aIm).plus(cIm, times: aRe)
        zRe = zRe.plus(cRe, times: bRe).plus(cImNeg, times: bIm)
        zIm = zIm.plus(cRe, times: bIm).plus(cIm, times: bRe)
    }

    /// The same with the coefficient given as lanes.
    @inline(__always)
    static func accumulate(
        _ xRe: inout Lane, _ xIm: inout Lane, _ zRe: inout Lane, _ zIm: inout Lane, _ cRe: Lane, _ cIm: Lane, _ cImNeg: Lane,
        _ aRe: Lane, _ aIm: Lane, _ bRe: Lane, _ bIm: Lane
    ) {
        xRe = xRe.plus(cRe, times: aRe).plus(cImNeg, times: aIm)
        xIm = xIm.plus(cRe, times: aIm).plus(cIm, times: aRe)
        zRe = zRe.plus(cRe, times: bRe).plus(cImNeg, times: bIm)
        zIm = zIm.plus(cRe, times: bIm).plus(cIm, times: bRe)
    }

    /// Lane i takes the value of lane i ^ mask: the partner amplitude of an in-lane target qubit.
    @inline(__always)
    func permuted(_ mask: Int) -> Lane {
        switch mask {
        case 0: self
        case 1: Lane(self[1], self[0], self[3], self[2], self[5], self[4], self[7], self[6])
        case 2: Lane(self[2], self[3], self[0], self[1], self[6], self[7], self[4], self[5])
        case 3: Lane(self[3], self[2], self[1], self[0], self[7], self[6], self[5], self[4])
        case 4: Lane(lowHalf: highHalf, highHalf: lowHalf)
        case 5: Lane(self[5], self[4], self[7], self[6], self[1], self[0], self[3], self[2])
        case 6: Lane(self[6], self[7], self[4], self[5], self[2], self[3], self[0], self[1])
        default: Lane(self[7], self[6], self[5], self[4], self[3], self[2], self[1], self[0])
        }
    }
}
