extension RuntimeGateApplication {
    /// The gate with its angles evaluated in one shot branch's classical state. The matrix comes from the
    /// same `U`, power and adjoint code as compile-time gates, so a run-time `rx(θ)` equals a compile-time
    /// `rx(θ)` to rounding.
    public func resolved(bit: (Int) -> Bool, variables: [ClassicalValue]) throws(ClassicalEvaluationError) -> GateApplication {
        func angle(_ expression: ClassicalExpression) throws(ClassicalEvaluationError) -> Double {
            try Self.angle(expression, of: name, bit: bit, variables: variables)
        }
        var elements = GateMatrices.u(try angle(theta), try angle(phi), try angle(lambda), phase: try angle(phase))
        for transform in transforms {
            switch transform {
            case .power(let exponent):
                do throws(MatrixMath.Failure) {
                    elements = MatrixMath.cleaned(try MatrixMath.power(elements, qubits: 1, exponent: exponent))
                } catch {
                    throw ClassicalEvaluationError(message: "pow(\(exponent)) of gate '\(name)' could not be computed.")
                }
            case .adjoint:
                elements = MatrixMath.adjointElements(elements, 2)
            }
        }
        return GateApplication(
            name: name, targets: [target], matrix: GateMatrix(qubitCount: 1, elements: elements),
            controls: controls, controlValues: controlValues)
    }

    /// A gate angle's value: a real, finite number.
    static func angle(
        _ expression: ClassicalExpression, of name: String, bit: (Int) -> Bool, variables: [ClassicalValue]
    ) throws(ClassicalEvaluationError) -> Double {
        let value = try expression.evaluate(bit: bit, variables: variables)
        if value.isComplex {
            throw ClassicalEvaluationError(message: "A parameter of gate '\(name)' is complex; gate angles must be real.")
        }
        let number = value.asDouble
        guard number.isFinite else {
            throw ClassicalEvaluationError(message: "A parameter of gate '\(name)' is not a finite number (\(number)).")
        }
        return number
    }
}
