extension RuntimeBlock {
    /// The block with its angles evaluated in one shot branch's classical state: gates on the circuit's qubits,
    /// and the global phase left uncontrolled (invisible in counts). The steps' product is raised by the same
    /// modifier and matrix-power code as compile-time gates, so it equals the static program's gate to rounding.
    public func resolved(
        bit: (Int) -> Bool, variables: [ClassicalValue]
    ) throws(ClassicalEvaluationError) -> (gates: [GateApplication], globalPhase: Double) {
        var gates: [GateApplication] = []
        var globalPhase = 0.0
        for operation in try operations(bit: bit, variables: variables) {
            switch operation {
            case .phase(let angle):
                globalPhase += angle
            case .unitary(let u):
                gates.append(GateApplication(name: u.name, targets: u.targets, matrix: u.matrix,
                                             controls: u.controls, controlValues: u.controlValues))
            case .runtimeUnitary, .runtimePhase, .runtimeBlock:
                preconditionFailure("evaluated operations have fixed matrices")
            }
        }
        return (gates, globalPhase)
    }

    private func operations(bit: (Int) -> Bool, variables: [ClassicalValue]) throws(ClassicalEvaluationError) -> [GateOperation] {
        var operations: [GateOperation] = []
        for step in steps {
            switch step {
            case .gate(let g):
                operations.append(GateOperation(g))
            case .phase(let angle):
                operations.append(.phase(angle))
            case .runtimeGate(let r):
                operations.append(GateOperation(try r.resolved(bit: bit, variables: variables)))
            case .runtimePhase(let angle):
                operations.append(.phase(try RuntimeGateApplication.angle(angle, of: name, bit: bit, variables: variables)))
            case .block(let inner):
                operations += try inner.operations(bit: bit, variables: variables)
            }
        }
        do throws(MatrixMath.Failure) {
            return try GateModifiers.apply(modifiers, to: operations)
        } catch {
            throw ClassicalEvaluationError(message: "The power of gate '\(name)' could not be computed (\(error)).")
        }
    }
}
