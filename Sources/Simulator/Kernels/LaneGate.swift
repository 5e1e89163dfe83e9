/// A gate compiled for lane kernels over a state (or chunk) of at least `LaneLayout.bits` qubits.
///
/// Targets split into in-lane qubits (< 3, mixed by lane permutations) and outer qubits (≥ 3, separate lanes).
/// A group is the 2^outer lanes that the gate mixes; output lane o' is Σ over terms (o, p) of
/// coefficient ⊙ permuted(input lane o, p). Controls on in-lane qubits are folded into the coefficients
/// (identity where a control does not match), controls on outer qubits select which groups are visited, and
/// all-zero terms are dropped, so diagonal and permutation gates cost one term per lane.
/// Coefficients are computed in double precision and stored as `S`, the state's scalar.
struct LaneGate<S: StateScalar> {
    typealias Lane = SIMD8<S>
    typealias Shape = LaneGateShape

    struct Term {
        var input: Int
        var permutation: Int
        /// Index into the group's permuted inputs: input · permutations.count + position of `permutation`.
        var source: Int
        var re: Lane
        var im: Lane
        /// −im, kept so complex products need no negation in the hot loop.
        var imNeg: Lane
    }

    var shape: Shape = .general
    /// Coefficients of every (output, input, permutation) in that order, zero where there is no term:
    /// three lanes each (re, im, −im). Used by the fixed-shape kernels.
    var table: [Lane] = []
    /// Lane permutations some term uses (always starting with 0, the identity).
    var permutations: [Int]
    /// Offsets (in amplitudes) of the group's lanes from the group's first index.
    var laneOffsets: [Int]
    /// Terms of every output lane, output by output; output o owns `terms[termStart[o]..<termStart[o + 1]]`.
    var terms: [Term]
    var termStart: [Int]
    /// Outputs that differ from their input (others are neither computed nor stored).
    var outputsWritten: [Bool]
    /// Inputs that some term reads (others need not be loaded).
    var inputsRead: [Bool]
    /// Outer qubits that are fixed while groups are enumerated (outer targets and outer controls).
    var fixedQubits: [Int]
    /// Required values of the outer control qubits (bits set in place).
    var fixedValues: Int

    init(_ gate: CompiledGate) {
        let targets = gate.targets
        let inner = targets.filter { $0 < LaneLayout.bits }
        let outer = targets.filter { $0 >= LaneLayout.bits }
        let innerCount = inner.count
        let dimension = gate.dimension
        laneOffsets = (0..<(1 << outer.count)).map { o in
            var offset = 0
            for (bit, qubit) in outer.enumerated() where o & (1 << bit) != 0 { offset |= 1 << qubit }
            return offset
        }
        var innerControlMask = 0, innerControlValues = 0
        var outerControls: [Int] = []
        var outerValues = 0
        for qubit in gate.controlQubits {
            let value = gate.controlValues & (1 << qubit)
            if qubit < LaneLayout.bits {
                innerControlMask |= 1 << qubit
                innerControlValues |= value
            } else {
                outerControls.append(qubit)
                outerValues |= value
            }
        }
        fixedQubits = outer + outerControls
        fixedValues = outerValues

        /// Matrix index bits of the in-lane targets for lane `l`.
        func innerIndex(_ lane: Int) -> Int {
            var index = 0
            for (bit, qubit) in inner.enumerated() where lane & (1 << qubit) != 0 { index |= 1 << bit }
            return index
        }
        let innerMask = inner.reduce(0) { $0 | (1 << $1) }
        let permutations = (0..<LaneLayout.width).filter { $0 & ~innerMask == 0 }
        self.permutations = permutations
        let groups = 1 << outer.count
        var outputs: [[Term]?] = []
        var inputsRead = [Bool](repeating: false, count: groups)
        for output in 0..<groups {
            var terms: [Term] = []
            var identity = true
            for input in 0..<groups {
                for permutation in permutations {
                    var re = SIMD8<Double>(repeating: 0), im = SIMD8<Double>(repeating: 0)
                    var nonZero = false
                    for lane in 0..<LaneLayout.width {
                        let active = lane & innerControlMask == innerControlValues
                        var value = (re: 0.0, im: 0.0)
                        if active {
                            let row = (output << innerCount) | innerIndex(lane)
                            let column = (input << innerCount) | innerIndex(lane ^ permutation)
                            value = (gate.matrixRe[row * dimension + column], gate.matrixIm[row * dimension + column])
                        } else if input == output && permutation == 0 {
                            value = (1, 0)
                        }
                        re[lane] = value.re
                        im[lane] = value.im
                        if value.re != 0 || value.im != 0 { nonZero = true }
                        let isDiagonalTerm = input == output && permutation == 0
                        if isDiagonalTerm ? (value.re != 1 || value.im != 0) : (value.re != 0 || value.im != 0) {
                            identity = false
                        }
                    }
                    if nonZero {
                        let source = input * permutations.count + permutations.firstIndex(of: permutation)!
                        terms.append(Term(input: input, permutation: permutation, source: source, re: Lane(re), im: Lane(im), imNeg: Lane(-im)))
                    }
                }
            }
            if identity {
                outputs.append(nil)
            } else {
                for term in terms { inputsRead[term.input] = true }
                outputs.append(terms)
            }
        }
        terms = []
        termStart = [0]
        outputsWritten = []
        for output in outputs {
            terms += output ?? []
            termStart.append(terms.count)
            outputsWritten.append(output != nil)
        }
        self.inputsRead = inputsRead
        shape = classifyShape(innerTargets: innerCount)
        let count = permutations.count
        table = [Lane](repeating: Lane(repeating: 0), count: 3 * groups * groups * count)
        for o in 0..<groups {
            for k in termStart[o]..<termStart[o + 1] {
                let term = terms[k]
                let slot = 3 * ((o * groups + term.input) * count + permutations.firstIndex(of: term.permutation)!)
                table[slot] = term.re
                table[slot + 1] = term.im
                table[slot + 2] = term.imNeg
            }
            if !outputsWritten[o] {
                // An untouched output still needs its identity coefficient in the table.
                let slot = 3 * ((o * groups + o) * count)
                table[slot] = Lane(repeating: 1)
            }
        }
        if shape == .phased {
            // One term per output; an output left alone reads itself with coefficient one.
            let one = Lane(repeating: 1), zero = Lane(repeating: 0)
            terms = (0..<groups).map { o in
                outputsWritten[o]
                    ? terms[termStart[o]]
                    : Term(input: o, permutation: 0, source: o, re: one, im: zero, imNeg: zero)
            }
            termStart = Array(0...groups)
        }
        if shape == .dense2 || shape == .dense4 {
            // Those kernels read every (output, input) term in order: take them all from the table.
            terms = (0..<(groups * groups)).map { k in
                Term(input: k % groups, permutation: 0, source: k % groups, re: table[3 * k], im: table[3 * k + 1], imNeg: table[3 * k + 2])
            }
            termStart = (0...groups).map { $0 * groups }
            outputsWritten = [Bool](repeating: true, count: groups)
            self.inputsRead = outputsWritten
        }
    }

    private func classifyShape(innerTargets: Int) -> Shape {
        let groups = laneOffsets.count
        let scale = (0..<groups).allSatisfy { o in
            !outputsWritten[o]
                || (termStart[o + 1] - termStart[o] == 1 && terms[termStart[o]].input == o && terms[termStart[o]].permutation == 0)
        }
        if scale { return .scale }
        let one = Lane(repeating: 1), zero = Lane(repeating: 0)
        let move = (0..<groups).allSatisfy { o in
            !outputsWritten[o]
                || (termStart[o + 1] - termStart[o] == 1 && terms[termStart[o]].re == one && terms[termStart[o]].im == zero)
        }
        let outerOnly = innerTargets == 0
        // Four-lane moves (swap, cx·cx, outer-controlled swaps) run unrolled as phased blocks with unit coefficients.
        if move { return outerOnly && groups == 4 ? .phased : .move }
        let monomial = (0..<groups).allSatisfy { o in !outputsWritten[o] || termStart[o + 1] - termStart[o] == 1 }
        if outerOnly && groups == 4 && monomial { return .phased }
        // Mostly dense blocks on outer qubits run the fixed-shape kernels with zeros filled in: cheaper than the
        // general kernel's term loop (fused u + cx blocks often have a few zero entries).
        if outerOnly && groups == 2 { return .dense2 }
        if outerOnly && groups == 4 && terms.count >= 6 { return .dense4 }
        if groups == 1 { return .single }
        if groups == 2 && permutations.count == 2 { return .pair }
        return .general
    }
}

/// How a `LaneGate` is applied: which kernel form its terms fit.
enum LaneGateShape {
    /// Every written output is its own input times a lane of coefficients (phases, controlled phases).
    case scale
    /// Every written output is one input, maybe lane-permuted, with coefficient 1 (x, cx, ccx, in-lane swaps).
    case move
    /// Two outer targets, no in-lane targets, each output one input times a lane of coefficients (swap, iswap, cs,
    /// fused cx·phase blocks). `terms` holds one term per output, identity terms included.
    case phased
    /// One outer target, no in-lane targets, dense 2×2.
    case dense2
    /// Two outer targets, no in-lane targets, dense 4×4.
    case dense4
    /// One lane per group (all targets in-lane): Σ over permutations.
    case single
    /// Two lanes per group and one in-lane permutation besides the identity.
    case pair
    case general
}
