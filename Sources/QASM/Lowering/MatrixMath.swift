#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Small dense complex matrix helpers for building gate matrices (never for state vectors).
enum MatrixMath {
    enum Failure: Error {
        case tooLarge
        case notFinite
        case noConvergence
    }

    /// Most qubits a dense matrix may span when `pow(k)` with non-integer k needs one.
    static let maxDenseQubits = 6

    static func identity(_ qubits: Int) -> [Complex] {
        let dimension = 1 << qubits
        var elements = [Complex](repeating: .zero, count: dimension * dimension)
        for i in 0..<dimension { elements[i * dimension + i] = .one }
        return elements
    }

    static func adjoint(_ matrix: GateMatrix) -> GateMatrix {
        let n = matrix.dimension
        var elements = [Complex](repeating: .zero, count: n * n)
        for row in 0..<n {
            for column in 0..<n { elements[column * n + row] = matrix.elements[row * n + column].conjugate }
        }
        return GateMatrix(qubitCount: matrix.qubitCount, elements: elements)
    }

    static func multiply(_ a: [Complex], _ b: [Complex], dimension n: Int) -> [Complex] {
        var result = [Complex](repeating: .zero, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                let aik = a[i * n + k]
                if aik.re == 0 && aik.im == 0 { continue }
                for j in 0..<n { result[i * n + j] = result[i * n + j] + aik * b[k * n + j] }
            }
        }
        return result
    }

    static func scaled(_ elements: [Complex], by factor: Complex) -> [Complex] {
        elements.map { factor * $0 }
    }

    /// Rounds away floating-point dust (|x| < 1e-15) so exact zeros and ones stay recognisable to the engine.
    static func cleaned(_ elements: [Complex]) -> [Complex] {
        elements.map { value in
            Complex(abs(value.re) < 1e-15 ? 0 : value.re, abs(value.im) < 1e-15 ? 0 : value.im)
        }
    }

    /// The dense matrix of a list of operations over `qubits` (bit j of an index is `qubits[j]`).
    static func dense(_ operations: [GateOperation], qubits: [Int]) -> [Complex] {
        let n = qubits.count
        let dimension = 1 << n
        var position: [Int: Int] = [:]
        for (j, q) in qubits.enumerated() { position[q] = j }
        var columns = [[Complex]](repeating: [], count: dimension)
        for c in 0..<dimension {
            var vector = [Complex](repeating: .zero, count: dimension)
            vector[c] = .one
            for operation in operations { apply(operation, to: &vector, position: position) }
            columns[c] = vector
        }
        var elements = [Complex](repeating: .zero, count: dimension * dimension)
        for c in 0..<dimension {
            for r in 0..<dimension { elements[r * dimension + c] = columns[c][r] }
        }
        return elements
    }

    private static func apply(_ operation: GateOperation, to vector: inout [Complex], position: [Int: Int]) {
        switch operation {
        case .phase(let angle):
            let factor = Complex.phase(angle)
            for i in vector.indices { vector[i] = factor * vector[i] }
        case .runtimeUnitary, .runtimePhase, .runtimeBlock:
            preconditionFailure("run-time angles have no matrix until they are resolved")
        case .unitary(let u):
            let targetBits = u.targets.map { position[$0] ?? 0 }
            var controlMask = 0, controlValue = 0
            for (control, value) in zip(u.controls, u.controlValues) {
                let bit = 1 << (position[control] ?? 0)
                controlMask |= bit
                if value { controlValue |= bit }
            }
            var targetMask = 0
            for bit in targetBits { targetMask |= 1 << bit }
            let k = u.targets.count
            let size = 1 << k
            var input = [Complex](repeating: .zero, count: size)
            for base in vector.indices where base & targetMask == 0 && base & controlMask == controlValue {
                var indices = [Int](repeating: base, count: size)
                for local in 0..<size {
                    var index = base
                    for (j, bit) in targetBits.enumerated() where local & (1 << j) != 0 { index |= 1 << bit }
                    indices[local] = index
                    input[local] = vector[index]
                }
                for row in 0..<size {
                    var sum = Complex.zero
                    for column in 0..<size { sum = sum + u.matrix.elements[row * size + column] * input[column] }
                    vector[indices[row]] = sum
                }
            }
        }
    }

    /// `pow(k) @` for non-integer k (or large integer k): the principal power of the whole operation list.
    /// Controls shared by every operation stay controls (the power of a controlled U is the controlled U^k).
    static func principalPower(of operations: [GateOperation], exponent: Double) throws(Failure) -> GateOperation {
        var unitaries: [GateOperation.Unitary] = []
        var phase = 0.0
        for operation in operations {
            switch operation {
            case .phase(let angle): phase += angle
            case .unitary(let u): unitaries.append(u)
            case .runtimeUnitary, .runtimePhase, .runtimeBlock:
                preconditionFailure("run-time angles have no matrix until they are resolved")
            }
        }
        if unitaries.isEmpty {
            return .phase(exponent * principalArgument(Complex.phase(phase)))
        }
        let (qubits, commonControls) = denseSupport(of: operations)
        guard qubits.count <= maxDenseQubits else { throw .tooLarge }
        let controlSet = Set(commonControls.map(\.qubit))
        let stripped: [GateOperation] = operations.map { operation in
            guard case .unitary(var u) = operation else { return operation }
            let kept = zip(u.controls, u.controlValues).filter { !controlSet.contains($0.0) }
            u.controls = kept.map(\.0)
            u.controlValues = kept.map(\.1)
            return .unitary(u)
        }
        let matrix = dense(stripped, qubits: qubits)
        let powered = try power(matrix, qubits: qubits.count, exponent: exponent)
        return .unitary(.init(
            name: unitaries.count == 1 ? unitaries[0].name : "pow",
            matrix: GateMatrix(qubitCount: qubits.count, elements: cleaned(powered)),
            targets: qubits,
            controls: commonControls.map(\.qubit),
            controlValues: commonControls.map(\.value)))
    }

    /// The qubits the dense matrix of `operations` spans (bit j is `qubits[j]`) and the controls left outside
    /// it: those every operation has (same qubit and value, never a target), none when a bare phase is present.
    /// Depends only on where operations act, so placeholder matrices give the run-time answer at compile time.
    static func denseSupport(of operations: [GateOperation]) -> (qubits: [Int], controls: [(qubit: Int, value: Bool)]) {
        var unitaries: [GateOperation.Unitary] = []
        for case .unitary(let u) in operations { unitaries.append(u) }
        var commonControls: [(qubit: Int, value: Bool)] = []
        if operations.count == unitaries.count, let first = unitaries.first {
            for (control, value) in zip(first.controls, first.controlValues) {
                let shared = unitaries.allSatisfy { u in
                    !u.targets.contains(control)
                        && zip(u.controls, u.controlValues).contains { $0.0 == control && $0.1 == value }
                }
                if shared { commonControls.append((control, value)) }
            }
        }
        let controlSet = Set(commonControls.map(\.qubit))
        var qubits: [Int] = []
        for u in unitaries {
            for q in u.targets + u.controls where !controlSet.contains(q) && !qubits.contains(q) { qubits.append(q) }
        }
        return (qubits, commonControls)
    }

    /// Argument in (-π, π], with a negative real axis (up to rounding) mapped to +π.
    static func principalArgument(_ z: Complex) -> Double {
        let magnitude = (z.re * z.re + z.im * z.im).squareRoot()
        if z.re < 0 && abs(z.im) <= 1e-12 * max(magnitude, 1) { return Double.pi }
        return atan2(z.im, z.re)
    }

    /// Principal power of a unitary: diagonalise it (it is normal) and raise each eigenvalue.
    static func power(_ matrix: [Complex], qubits: Int, exponent: Double) throws(Failure) -> [Complex] {
        let n = 1 << qubits
        for mix in [0.6180339887, 1.7320508075, -0.4142135623, 2.7182818284] {
            // H = (W + W†)/2 + mix·(W − W†)/(2i) is Hermitian and shares W's eigenvectors.
            var h = [Complex](repeating: .zero, count: n * n)
            for r in 0..<n {
                for c in 0..<n {
                    let w = matrix[r * n + c], wt = matrix[c * n + r].conjugate
                    let sum = w + wt, difference = w - wt
                    // (difference)/(2i) = -i·difference/2
                    h[r * n + c] = Complex(0.5 * sum.re + mix * 0.5 * difference.im, 0.5 * sum.im - mix * 0.5 * difference.re)
                }
            }
            let vectors = try HermitianEigen.eigenvectors(h, dimension: n)
            let vDagger = adjointElements(vectors, n)
            let diagonal = multiply(multiply(vDagger, matrix, dimension: n), vectors, dimension: n)
            var offDiagonal = 0.0
            for r in 0..<n { for c in 0..<n where r != c { offDiagonal = max(offDiagonal, diagonal[r * n + c].magnitudeSquared) } }
            guard offDiagonal < 1e-18 else { continue }
            var powered = [Complex](repeating: .zero, count: n * n)
            for j in 0..<n {
                let eigenvalue = diagonal[j * n + j]
                powered[j * n + j] = Complex.phase(exponent * principalArgument(eigenvalue))
            }
            return multiply(multiply(vectors, powered, dimension: n), vDagger, dimension: n)
        }
        throw .noConvergence
    }

    static func adjointElements(_ elements: [Complex], _ n: Int) -> [Complex] {
        var result = [Complex](repeating: .zero, count: n * n)
        for r in 0..<n { for c in 0..<n { result[c * n + r] = elements[r * n + c].conjugate } }
        return result
    }
}
