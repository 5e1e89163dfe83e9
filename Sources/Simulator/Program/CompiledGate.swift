import QASM

/// A gate normalised for the kernels: targets sorted ascending (matrix permuted to match), controls packed
/// into masks, and the matrix classified so cheap kernels can be chosen (qsim's `gate.h` does the same).
struct CompiledGate: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// Only diagonal entries are non-zero: amplitudes are scaled, never mixed.
        case diagonal
        /// Exactly one non-zero per row and column: amplitudes move (and maybe pick up a phase).
        case monomial
        case dense
    }

    var kind: Kind
    /// Target qubits, ascending. Bit j of a matrix index is the value of `targets[j]`.
    var targets: [Int]
    /// Row-major 2^k × 2^k matrix, split into real and imaginary parts.
    var matrixRe: [Double]
    var matrixIm: [Double]
    /// Qubits that must hold particular values for the gate to act.
    var controlMask: Int
    /// The required values of the control qubits (a subset of `controlMask`).
    var controlValues: Int

    var dimension: Int { 1 << targets.count }
    var qubitMask: Int { targets.reduce(controlMask) { $0 | (1 << $1) } }

    /// Bits of a basis index that stay fixed while the gate's amplitude groups are enumerated.
    var controlQubits: [Int] {
        var qubits: [Int] = []
        var mask = controlMask
        while mask != 0 {
            qubits.append(mask.trailingZeroBitCount)
            mask &= mask &- 1
        }
        return qubits
    }
}

extension CompiledGate {
    /// Entries with a magnitude below this are treated as exact zeros when classifying a matrix.
    static let zeroTolerance = 1e-15

    init(_ application: GateApplication) {
        let k = application.targets.count
        let dimension = 1 << k
        var sortedTargets = application.targets
        var re: [Double], im: [Double]
        if application.targets.indices.dropFirst().allSatisfy({ application.targets[$0 - 1] < application.targets[$0] }) {
            // Already ascending (every one-qubit gate): the matrix keeps its order and the targets are shared.
            let elements = application.matrix.elements
            re = Array(unsafeUninitializedCapacity: elements.count) { buffer, count in
                for (index, entry) in elements.enumerated() { buffer[index] = entry.re }
                count = elements.count
            }
            im = Array(unsafeUninitializedCapacity: elements.count) { buffer, count in
                for (index, entry) in elements.enumerated() { buffer[index] = entry.im }
                count = elements.count
            }
        } else {
            // order[j] = position in the original target list of the j-th smallest target.
            let order = application.targets.indices.sorted { application.targets[$0] < application.targets[$1] }
            sortedTargets = order.map { application.targets[$0] }
            func originalIndex(_ sortedIndex: Int) -> Int {
                var index = 0
                for j in 0..<k where sortedIndex & (1 << j) != 0 { index |= 1 << order[j] }
                return index
            }
            let mapping = (0..<dimension).map(originalIndex)
            re = [Double](repeating: 0, count: dimension * dimension)
            im = [Double](repeating: 0, count: dimension * dimension)
            for row in 0..<dimension {
                for column in 0..<dimension {
                    let entry = application.matrix[mapping[row], mapping[column]]
                    re[row * dimension + column] = entry.re
                    im[row * dimension + column] = entry.im
                }
            }
        }
        var mask = 0
        var values = 0
        for (qubit, value) in zip(application.controls, application.controlValues) {
            mask |= 1 << qubit
            if value { values |= 1 << qubit }
        }
        self.init(
            kind: Self.classify(re: re, im: im, dimension: dimension),
            targets: sortedTargets, matrixRe: re, matrixIm: im, controlMask: mask, controlValues: values
        )
    }

    static func classify(re: [Double], im: [Double], dimension: Int) -> Kind {
        var diagonal = true
        var monomial = true
        for row in 0..<dimension {
            var nonZeros = 0
            for column in 0..<dimension {
                let index = row * dimension + column
                if abs(re[index]) > zeroTolerance || abs(im[index]) > zeroTolerance {
                    nonZeros += 1
                    if row != column { diagonal = false }
                }
            }
            if nonZeros != 1 { monomial = false }
        }
        if diagonal && monomial { return .diagonal }
        return monomial ? .monomial : .dense
    }

    /// True when the gate leaves every state unchanged (an identity matrix, or `id`).
    var isIdentity: Bool {
        guard kind == .diagonal else { return false }
        for j in 0..<dimension {
            let index = j * dimension + j
            if abs(matrixRe[index] - 1) > Self.zeroTolerance || abs(matrixIm[index]) > Self.zeroTolerance { return false }
        }
        return true
    }
}
