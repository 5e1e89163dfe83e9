/// Merges neighbouring gates into blocks of at most two qubits when a cost model says one merged kernel is
/// cheaper than the gates it replaces (qsim's fuser does the same, at a fixed two qubits). A gate moves back
/// into an earlier block only past gates that touch none of its qubits, so the product is unchanged.
enum GateFuser {
    static let maxQubits = 2
    /// Smaller states are not fused.
    static let minimumQubits = 10

    static func fuse(_ gates: [CompiledGate]) -> [CompiledGate] {
        var fused: [CompiledGate?] = []
        var lastTouch: [Int: Int] = [:]
        for gate in gates {
            let mask = gate.qubitMask
            var touched: [Int] = []
            var qubits = mask
            while qubits != 0 {
                if let index = lastTouch[qubits.trailingZeroBitCount], !touched.contains(index) { touched.append(index) }
                qubits &= qubits &- 1
            }
            touched.sort()
            if touched.count == 2, mask.nonzeroBitCount == 2, let earlier = fused[touched[0]], let later = fused[touched[1]],
               earlier.qubitMask.nonzeroBitCount == 1, (earlier.qubitMask | later.qubitMask) & ~mask == 0,
               let pair = merge(earlier, then: later), let merged = merge(pair, then: gate),
               merged.cost <= earlier.cost + later.cost + gate.cost {
                // A two-qubit gate pulls in the last gates on each of its qubits (the start of a fused pair).
                fused[touched[0]] = nil
                fused[touched[1]] = merged
                record(mask, at: touched[1], in: &lastTouch)
            } else if let latest = touched.last, let block = fused[latest],
                      (block.qubitMask | mask).nonzeroBitCount <= maxQubits,
                      let merged = merge(block, then: gate),
                      merged.cost <= block.cost + gate.cost || joinsPair(gate, block) {
                fused[latest] = merged
                // Only the new gate's qubits: the block's other qubits may have been touched by later gates.
                record(mask, at: latest, in: &lastTouch)
            } else {
                fused.append(gate)
                record(mask, at: fused.count - 1, in: &lastTouch)
            }
        }
        return fused.compactMap { $0 }
    }

    /// A gate inside a mixing two-qubit block joins it even when that makes the block dense: the pair's later
    /// gates then come free (diagonal blocks such as cp stay cheap instead: QFT's phases must not densify).
    private static func joinsPair(_ gate: CompiledGate, _ block: CompiledGate) -> Bool {
        block.kind != .diagonal && block.qubitMask.nonzeroBitCount == 2 && gate.qubitMask & ~block.qubitMask == 0
    }

    private static func record(_ mask: Int, at index: Int, in lastTouch: inout [Int: Int]) {
        var qubits = mask
        while qubits != 0 {
            lastTouch[qubits.trailingZeroBitCount] = index
            qubits &= qubits &- 1
        }
    }

    /// `second · first` as one uncontrolled gate on the union of their qubits.
    static func merge(_ first: CompiledGate, then second: CompiledGate) -> CompiledGate? {
        let mask = first.qubitMask | second.qubitMask
        var union: [Int] = []
        var qubits = mask
        while qubits != 0 {
            union.append(qubits.trailingZeroBitCount)
            qubits &= qubits &- 1
        }
        let a = first.expanded(to: union), b = second.expanded(to: union)
        let d = 1 << union.count
        var re = [Double](repeating: 0, count: d * d), im = re
        for row in 0..<d {
            for column in 0..<d {
                var sr = 0.0, si = 0.0
                for k in 0..<d {
                    let (br, bi) = (b.re[row * d + k], b.im[row * d + k])
                    let (ar, ai) = (a.re[k * d + column], a.im[k * d + column])
                    sr += br * ar - bi * ai
                    si += br * ai + bi * ar
                }
                re[row * d + column] = sr
                im[row * d + column] = si
            }
        }
        return CompiledGate(
            kind: CompiledGate.classify(re: re, im: im, dimension: d),
            targets: union, matrixRe: re, matrixIm: im, controlMask: 0, controlValues: 0
        )
    }
}

extension CompiledGate {
    /// The full matrix on `qubits` (ascending, a superset of this gate's targets and controls): the gate's matrix
    /// where the controls hold, the identity elsewhere.
    func expanded(to qubits: [Int]) -> (re: [Double], im: [Double]) {
        let d = 1 << qubits.count
        func position(_ qubit: Int) -> Int { qubits.firstIndex(of: qubit)! }
        let targetBits = targets.map(position)
        var controlBits = 0, controlValueBits = 0
        for qubit in controlQubits {
            controlBits |= 1 << position(qubit)
            if controlValues & (1 << qubit) != 0 { controlValueBits |= 1 << position(qubit) }
        }
        let targetMask = targetBits.reduce(0) { $0 | (1 << $1) }
        func gateIndex(_ x: Int) -> Int {
            var index = 0
            for (bit, position) in targetBits.enumerated() where x & (1 << position) != 0 { index |= 1 << bit }
            return index
        }
        var re = [Double](repeating: 0, count: d * d), im = re
        for column in 0..<d {
            guard column & controlBits == controlValueBits else {
                re[column * d + column] = 1
                continue
            }
            for row in 0..<d where row & ~targetMask == column & ~targetMask {
                let entry = gateIndex(row) * dimension + gateIndex(column)
                re[row * d + column] = matrixRe[entry]
                im[row * d + column] = matrixIm[entry]
            }
        }
        return (re, im)
    }

    /// Rough cycles per amplitude of applying this gate from cache: dense mixing costs 2^(k−1) for k targets,
    /// moving or scaling well under one, plus the pass itself; controls shrink the share of the state touched.
    var cost: Double {
        let touched = 1 / Double(1 << controlMask.nonzeroBitCount)
        switch kind {
        case .dense: return touched * (Double(1 << (targets.count - 1)) + 0.5)
        case .monomial: return touched * 0.6
        case .diagonal:
            var changed = 0
            for j in 0..<dimension where matrixRe[j * dimension + j] != 1 || matrixIm[j * dimension + j] != 0 { changed += 1 }
            return touched * 0.75 * Double(changed) / Double(dimension)
        }
    }
}
