/// One step of a gate's unitary while it is being built: a (possibly controlled) matrix on qubits
/// numbered locally (the gate's own argument positions), or a global phase. Modifiers act on lists of these.
/// The `runtime` cases carry angles known only at run time (targets and controls still local).
enum GateOperation: Sendable {
    case unitary(Unitary)
    case phase(Double)
    case runtimeUnitary(RuntimeGateApplication)
    case runtimePhase(ClassicalExpression)
    /// A fractional power of several run-time operations (qubits local like the others).
    case runtimeBlock(RuntimeBlock)

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
        case .runtimeUnitary, .runtimePhase, .runtimeBlock: return true
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
        case .runtimeBlock(let b):
            return .runtimeBlock(b.mapped(map))
        }
    }

    init(_ gate: GateApplication) {
        self = .unitary(Unitary(name: gate.name, matrix: gate.matrix, targets: gate.targets,
                                controls: gate.controls, controlValues: gate.controlValues))
    }

    init(_ step: RuntimeBlock.Step) {
        switch step {
        case .gate(let g): self.init(g)
        case .phase(let angle): self = .phase(angle)
        case .runtimeGate(let r): self = .runtimeUnitary(r)
        case .runtimePhase(let angle): self = .runtimePhase(angle)
        case .block(let b): self = .runtimeBlock(b)
        }
    }

    var step: RuntimeBlock.Step {
        switch self {
        case .unitary(let u):
            return .gate(GateApplication(name: u.name, targets: u.targets, matrix: u.matrix,
                                         controls: u.controls, controlValues: u.controlValues))
        case .phase(let angle): return .phase(angle)
        case .runtimeUnitary(let r): return .runtimeGate(r)
        case .runtimePhase(let angle): return .runtimePhase(angle)
        case .runtimeBlock(let b): return .block(b)
        }
    }

    /// The operation's shape: identity matrices and zero angles where it acts. Modifiers and
    /// `MatrixMath.denseSupport` see only the shape, so a run-time block's dense size is known at compile time.
    func skeleton() throws(MatrixMath.Failure) -> [GateOperation] {
        func placeholder(_ name: String, targets: [Int], controls: [Int], values: [Bool]) -> GateOperation {
            let identity = GateMatrix(qubitCount: targets.count, elements: MatrixMath.identity(targets.count))
            return .unitary(Unitary(name: name, matrix: identity, targets: targets, controls: controls, controlValues: values))
        }
        switch self {
        case .phase: return [self]
        case .runtimePhase: return [.phase(0)]
        case .unitary(let u):
            return [placeholder(u.name, targets: u.targets, controls: u.controls, values: u.controlValues)]
        case .runtimeUnitary(let r):
            return [placeholder(r.name, targets: [r.target], controls: r.controls, values: r.controlValues)]
        case .runtimeBlock(let b):
            var steps: [GateOperation] = []
            for step in b.steps { steps += try GateOperation(step).skeleton() }
            return try GateModifiers.apply(b.modifiers, to: steps)
        }
    }
}

extension RuntimeBlock {
    /// The block with every qubit `q` renamed `map[q]`.
    func mapped(_ map: [Int]) -> RuntimeBlock {
        var block = self
        block.steps = steps.map { GateOperation($0).mapped(map).step }
        block.modifiers = modifiers.map { modifier in
            guard case .control(let controls, let value) = modifier else { return modifier }
            return .control(controls.map { map[$0] }, value: value)
        }
        return block
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
            case .runtimeBlock(var b):
                b.modifiers.append(.inverse)
                return .runtimeBlock(b)
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
            case .runtimeBlock(var b):
                b.modifiers.append(.control(controls, value: value))
                return .runtimeBlock(b)
            }
        }
    }

    /// `pow(k) @`: integer k repeats (negative: the inverse), other k take the principal matrix power.
    /// With run-time angles a fractional k makes a run-time block (or raises a single run-time gate), whose
    /// matrix is raised once evaluated. `name` names such a block.
    static func power(
        _ operations: [GateOperation], exponent: Double, maxOperations: Int, name: String = "pow"
    ) throws(MatrixMath.Failure) -> [GateOperation] {
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
        guard isRuntime else { return [try MatrixMath.principalPower(of: operations, exponent: exponent)] }
        if operations.count == 1, case .runtimeUnitary(var r) = operations[0] {
            // One run-time gate: its controls stay controls and its evaluated matrix is raised (as at compile time).
            r.transforms.append(.power(exponent))
            return [.runtimeUnitary(r)]
        }
        // The dense matrix spans the same qubits whatever the angles: refuse an oversized one now, not per shot.
        var shape: [GateOperation] = []
        for operation in operations { shape += try operation.skeleton() }
        guard MatrixMath.denseSupport(of: shape).qubits.count <= MatrixMath.maxDenseQubits else {
            throw MatrixMath.Failure.tooLarge
        }
        if operations.count == 1, case .runtimeBlock(var b) = operations[0] {
            b.modifiers.append(.power(exponent))
            return [.runtimeBlock(b)]
        }
        return [.runtimeBlock(RuntimeBlock(name: name, steps: operations.map(\.step), modifiers: [.power(exponent)]))]
    }

    /// A run-time block's modifiers, in order, on its operations (evaluated, or shapes at compile time).
    static func apply(_ modifiers: [RuntimeBlock.Modifier], to operations: [GateOperation]) throws(MatrixMath.Failure) -> [GateOperation] {
        var result = operations
        for modifier in modifiers {
            switch modifier {
            case .power(let exponent): result = try power(result, exponent: exponent, maxOperations: 1 << 16)
            case .inverse: result = inverse(result)
            case .control(let controls, let value): result = control(result, controls: controls, value: value)
            }
        }
        return result
    }
}
