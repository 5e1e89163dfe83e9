/// One step of a gate's unitary while it is being built: a (possibly controlled) matrix on qubits
/// numbered locally (the gate's own argument positions), or a global phase. Modifiers act on lists of these.
/// The `runtime` cases carry angles known only at run time (targets and controls still local).
enum GateOperation: Sendable {
    case unitary(Unitary)
    case phase(Double)
    case runtimeUnitary(RuntimeGateApplication)
    case runtimePhase(ClassicalExpression)

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

    /// `e^{iγ}·U(θ, φ, λ)` on local qubit `target` with run-time angles.
    static func runtimeU(
        _ name: String, theta: ClassicalExpression, phi: ClassicalExpression, lambda: ClassicalExpression,
        phase: ClassicalExpression = .constant(.float(0)), target: Int = 0, controls: Int = 0
    ) -> GateOperation {
        .runtimeUnitary(RuntimeGateApplication(
            name: name, target: target, theta: theta, phi: phi, lambda: lambda, phase: phase,
            controls: Array(0..<controls)))
    }

    var isRuntime: Bool {
        switch self {
        case .unitary, .phase: return false
        case .runtimeUnitary, .runtimePhase: return true
        }
    }

    /// Renumbers local qubits (used when a gate body's operations are placed into the caller's numbering).
    func mapped(_ map: [Int]) -> GateOperation {
        switch self {
        case .phase, .runtimePhase: return self
        case .unitary(var u):
            u.targets = u.targets.map { map[$0] }
            u.controls = u.controls.map { map[$0] }
            return .unitary(u)
        case .runtimeUnitary(var r):
            r.target = map[r.target]
            r.controls = r.controls.map { map[$0] }
            return .runtimeUnitary(r)
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
            case .runtimePhase(let angle): return .runtimePhase(AngleExpression.negated(angle))
            case .runtimeUnitary(var r) where !r.transforms.isEmpty:
                // A powered matrix has no angle form left: take its adjoint once evaluated.
                r.transforms.append(.adjoint)
                return .runtimeUnitary(r)
            case .runtimeUnitary(var r):
                // (e^{iγ}U(θ, φ, λ))† = e^{−iγ}U(−θ, −λ, −φ), exactly.
                let (phi, lambda) = (r.phi, r.lambda)
                r.theta = AngleExpression.negated(r.theta)
                r.phi = AngleExpression.negated(lambda)
                r.lambda = AngleExpression.negated(phi)
                r.phase = AngleExpression.negated(r.phase)
                return .runtimeUnitary(r)
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
            case .runtimePhase(let angle):
                // diag(1, e^{ia}) = U(0, 0, a); diag(e^{ia}, 1) = e^{ia}·U(0, 0, −a).
                let zero = ClassicalExpression.constant(.float(0))
                return .runtimeUnitary(RuntimeGateApplication(
                    name: "gphase", target: first, theta: zero, phi: zero,
                    lambda: value ? angle : AngleExpression.negated(angle), phase: value ? zero : angle,
                    controls: rest, controlValues: Array(repeating: value, count: rest.count)))
            case .runtimeUnitary(var r):
                r.controls = controls + r.controls
                r.controlValues = Array(repeating: value, count: controls.count) + r.controlValues
                return .runtimeUnitary(r)
            }
        }
    }

    /// `pow(k) @`: integer k repeats (negative: the inverse), other k take the principal matrix power.
    /// With run-time angles a fractional k needs a single run-time gate, whose matrix is raised once evaluated.
    static func power(_ operations: [GateOperation], exponent: Double, maxOperations: Int) throws(MatrixMath.Failure) -> [GateOperation] {
        guard exponent.isFinite else { throw MatrixMath.Failure.notFinite }
        let isRuntime = operations.contains { $0.isRuntime }
        if exponent == exponent.rounded() && abs(exponent) < 1e15 {
            let count = Int(abs(exponent))
            let base = exponent < 0 ? inverse(operations) : operations
            if count == 0 || base.isEmpty { return [] }
            // Small powers repeat the operations; large ones become one matrix when it is small enough.
            if count > 8, !isRuntime, let single = try? MatrixMath.principalPower(of: operations, exponent: exponent) {
                return [single]
            }
            let (total, overflow) = base.count.multipliedReportingOverflow(by: count)
            guard !overflow, total <= maxOperations else { throw MatrixMath.Failure.tooLarge }
            var result: [GateOperation] = []
            result.reserveCapacity(total)
            for _ in 0..<count { result.append(contentsOf: base) }
            return result
        }
        if isRuntime {
            // One run-time gate: its controls stay controls and its evaluated matrix is raised (as at compile time).
            guard operations.count == 1, case .runtimeUnitary(var r) = operations[0] else { throw MatrixMath.Failure.runtimeAngles }
            r.transforms.append(.power(exponent))
            return [.runtimeUnitary(r)]
        }
        return [try MatrixMath.principalPower(of: operations, exponent: exponent)]
    }
}
