/// One step of a gate's unitary while it is being built: a (possibly controlled) matrix on qubits
/// numbered locally (the gate's own argument positions), or a global phase. Modifiers act on lists of these.
enum GateOperation: Sendable {
    case unitary(Unitary)
    case phase(Double)

    struct Unitary: Sendable {
        var name: String
        var matrix: GateMatrix
        var targets: [Int]
        var controls: [Int] = []
        var controlValues: [Bool] = []
    }

    static func single(_ name: String, _ elements: [Complex], on target: Int = 0) -> GateOperation {
        .unitary(Unitary(name: name, matrix: GateMatrix(qubitCount: 1, elements: elements), targets: [target]))
    }

    static func controlled(_ name: String, _ elements: [Complex], control: Int, target: Int) -> GateOperation {
        .unitary(Unitary(name: name, matrix: GateMatrix(qubitCount: 1, elements: elements), targets: [target],
                         controls: [control], controlValues: [true]))
    }

    /// Renumbers local qubits (used when a gate body's operations are placed into the caller's numbering).
    func mapped(_ map: [Int]) -> GateOperation {
        switch self {
        case .phase: return self
        case .unitary(var u):
            u.targets = u.targets.map { map[$0] }
            u.controls = u.controls.map { map[$0] }
            return .unitary(u)
        }
    }
}

/// The gate modifiers `inv @`, `ctrl @`/`negctrl @` and `pow(k) @` on operation lists.
enum GateModifiers {
    static func inverse(_ operations: [GateOperation]) -> [GateOperation] {
        operations.reversed().map { operation in
            switch operation {
            case .phase(let angle): return .phase(-angle)
            case .unitary(var u):
                u.matrix = MatrixMath.adjoint(u.matrix)
                return .unitary(u)
            }
        }
    }

    /// Adds `controls` (all with `value`) to every operation. A global phase becomes a phase on the controls:
    /// `ctrl @ gphase(a)` is `p(a)` on the control (`negctrl`: phase on the |0⟩ component).
    static func control(_ operations: [GateOperation], controls: [Int], value: Bool) -> [GateOperation] {
        guard let first = controls.first else { return operations }
        let rest = Array(controls.dropFirst())
        return operations.map { operation in
            switch operation {
            case .phase(let angle):
                let phase = Complex.phase(angle)
                let elements = value ? [.one, .zero, .zero, phase] : [phase, .zero, .zero, .one]
                return .unitary(.init(name: "gphase", matrix: GateMatrix(qubitCount: 1, elements: elements),
                                      targets: [first], controls: rest,
                                      controlValues: Array(repeating: value, count: rest.count)))
            case .unitary(var u):
                u.controls = controls + u.controls
                u.controlValues = Array(repeating: value, count: controls.count) + u.controlValues
                return .unitary(u)
            }
        }
    }

    /// `pow(k) @`: integer k repeats (negative: the inverse), other k take the principal matrix power.
    static func power(_ operations: [GateOperation], exponent: Double, maxOperations: Int) throws(MatrixMath.Failure) -> [GateOperation] {
        guard exponent.isFinite else { throw MatrixMath.Failure.notFinite }
        if exponent == exponent.rounded() && abs(exponent) < 1e15 {
            let count = Int(abs(exponent))
            let base = exponent < 0 ? inverse(operations) : operations
            if count == 0 || base.isEmpty { return [] }
            // Small powers repeat the operations; large ones become one matrix when it is small enough.
            if count > 8, let single = try? MatrixMath.principalPower(of: operations, exponent: exponent) {
                return [single]
            }
            let (total, overflow) = base.count.multipliedReportingOverflow(by: count)
            guard !overflow, total <= maxOperations else { throw MatrixMath.Failure.tooLarge }
            var result: [GateOperation] = []
            result.reserveCapacity(total)
            for _ in 0..<count { result.append(contentsOf: base) }
            return result
        }
        return [try MatrixMath.principalPower(of: operations, exponent: exponent)]
    }
}
