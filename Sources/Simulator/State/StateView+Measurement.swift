#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Whole-vector operations for measurement and reset (qsim's "state space" layer).
extension StateView {
    /// Squared norms of the halves where `qubit` is 0 and 1. Both are measured (not 1 − the other) so rounding
    /// errors cannot compound over many collapses; summed in a fixed order so threads never change the result.
    func outcomeWeights(qubit: Int) -> (zero: Double, one: Double) {
        let layout = RunLayout(qubits: qubits, fixedQubits: [qubit])
        let offset = 1 << qubit
        var zero = 0.0, one = 0.0
        for r in 0..<layout.runCount {
            let start = layout.runStart(r)
            let zr = re + start, zi = im + start
            let or = re + (start | offset), oi = im + (start | offset)
            var sumZero = 0.0, sumOne = 0.0
            for l in 0..<layout.runLength {
                sumZero += zr[l] * zr[l] + zi[l] * zi[l]
                sumOne += or[l] * or[l] + oi[l] * oi[l]
            }
            zero += sumZero
            one += sumOne
        }
        return (zero, one)
    }

    /// Keep the half where `qubit == outcome`, renormalised by its squared norm `weight`; zero the other half.
    func collapse(qubit: Int, outcome: Int, weight probability: Double) {
        let layout = RunLayout(qubits: qubits, fixedQubits: [qubit])
        let kept = outcome << qubit
        let dropped = (1 - outcome) << qubit
        let scale = 1 / probability.squareRoot()
        for r in 0..<layout.runCount {
            let start = layout.runStart(r)
            let kr = re + (start | kept), ki = im + (start | kept)
            let dr = re + (start | dropped), di = im + (start | dropped)
            for l in 0..<layout.runLength {
                kr[l] *= scale
                ki[l] *= scale
                dr[l] = 0
                di[l] = 0
            }
        }
    }

    /// After a collapse to |1⟩: move the amplitudes to |0⟩ (the X part of reset).
    func moveOneToZero(qubit: Int) {
        let layout = RunLayout(qubits: qubits, fixedQubits: [qubit])
        let one = 1 << qubit
        for r in 0..<layout.runCount {
            let start = layout.runStart(r)
            let zr = re + start, zi = im + start
            let or = re + (start | one), oi = im + (start | one)
            for l in 0..<layout.runLength {
                zr[l] = or[l]
                zi[l] = oi[l]
                or[l] = 0
                oi[l] = 0
            }
        }
    }

    /// Multiply every amplitude by e^{i·angle}.
    func applyGlobalPhase(_ angle: Double) {
        let c = cos(angle), s = sin(angle)
        for i in 0..<count {
            let ar = re[i], ai = im[i]
            re[i] = c * ar - s * ai
            im[i] = c * ai + s * ar
        }
    }

    func totalProbability() -> Double {
        var total = 0.0
        for i in 0..<count { total += re[i] * re[i] + im[i] * im[i] }
        return total
    }
}
