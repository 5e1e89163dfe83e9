extension Lowerer {
    mutating func lowerIf(_ conditionExpression: Expression, then: [Statement], otherwise: [Statement], at location: SourceLocation) throws(CompileError) -> Flow {
        let condition = try classical(try value(conditionExpression), at: conditionExpression.location)
        if case .known(let v) = condition {
            return try lowerStatements(v.isTruthy ? then : otherwise)
        }
        try refuseRuntimeControlInGateBody(at: conditionExpression.location)
        try materializeAssigned(in: [then, otherwise], at: location)
        // Re-read the condition: materializing may have turned variables it reads into slots (same value).
        let runtimeCondition = runtimeExpression(try classical(try value(conditionExpression), at: conditionExpression.location))
        let (thenInstructions, thenFlow) = try lowerDynamicBranch(then)
        let (elseInstructions, elseFlow) = try lowerDynamicBranch(otherwise)
        try emit(.ifElse(condition: runtimeCondition, then: thenInstructions, otherwise: elseInstructions), at: location)
        return Lowerer.merge(thenFlow, elseFlow)
    }

    /// A gate body becomes a fixed list of unitaries; it cannot branch or loop on run-time parameters.
    func refuseRuntimeControlInGateBody(at location: SourceLocation) throws(CompileError) {
        guard inGateBody else { return }
        throw CompileError(.unsupported, location,
                           "A gate body cannot branch or loop on a parameter known only at run time; use a 'def' subroutine.")
    }

    mutating func lowerDynamicBranch(_ statements: [Statement]) throws(CompileError) -> ([Instruction], Flow) {
        dynamicDepth += 1
        pushBuffer()
        let flow: Flow
        do {
            flow = try lowerStatements(statements)
        } catch {
            dynamicDepth -= 1
            _ = popBuffer()
            throw error
        }
        dynamicDepth -= 1
        // An `end` inside the branch was emitted as a run-time `.end`; for the code around it nothing ended.
        if case .exit(.end) = flow { return (popBuffer(), .normal) }
        return (popBuffer(), flow)
    }

    /// After a runtime branch: exits inside it were done with flags (or engine break/continue).
    static func merge(_ a: Flow, _ b: Flow) -> Flow {
        func flagged(_ f: Flow) -> Bool {
            switch f {
            case .normal: return false
            case .mayExit: return true
            case .exit(let kind): return kind != .end
            }
        }
        return flagged(a) || flagged(b) ? .mayExit : .normal
    }

    // MARK: Switch

    mutating func lowerSwitch(_ subjectExpression: Expression, _ cases: [SwitchCase], _ defaultBody: [Statement]?, at location: SourceLocation) throws(CompileError) -> Flow {
        let subject = try classical(try value(subjectExpression), at: subjectExpression.location)
        if Lowerer.isComplex(runtimeExpression(subject)) {
            throw CompileError(.type, subjectExpression.location, "A switch needs an integer value, not a complex number.")
        }
        var seen: Set<ClassicalValue> = []
        var caseValues: [[ClassicalValue]] = []
        for c in cases {
            var values: [ClassicalValue] = []
            for e in c.values {
                let v = try constant(e, "A case value")
                guard case .int = v else { throw CompileError(.type, e.location, "Case values must be integers.") }
                guard seen.insert(v).inserted else { throw CompileError(.redeclaration, e.location, "Duplicate case value.") }
                values.append(v)
            }
            caseValues.append(values)
        }
        if case .known(let v) = subject {
            for (index, values) in caseValues.enumerated() where values.contains(where: { $0 == v || $0.asDouble == v.asDouble }) {
                return try lowerStatements(cases[index].body)
            }
            return try lowerStatements(defaultBody ?? [])
        }
        // Runtime: a chain of ifElse on equality.
        return try lowerSwitchChain(runtimeExpression(subject), Array(zip(caseValues, cases.map(\.body)))[...], defaultBody ?? [], at: location)
    }

    /// `a || b || ...` as a balanced tree, so long case lists do not make deep expressions.
    static func balancedOr(_ terms: ArraySlice<ClassicalExpression>) -> ClassicalExpression {
        guard let first = terms.first else { return .constant(.bool(false)) }
        if terms.count == 1 { return first }
        let middle = terms.startIndex + terms.count / 2
        return .binary(.logicalOr, balancedOr(terms[..<middle]), balancedOr(terms[middle...]))
    }

    private mutating func lowerSwitchChain(
        _ subject: ClassicalExpression, _ remaining: ArraySlice<([ClassicalValue], [Statement])>, _ defaultBody: [Statement], at location: SourceLocation
    ) throws(CompileError) -> Flow {
        guard let (values, body) = remaining.first else {
            let (instructions, flow) = try lowerDynamicBranch(defaultBody)
            for instruction in instructions { try emit(instruction, at: location) }
            return Lowerer.merge(flow, .normal)
        }
        let condition = Lowerer.balancedOr(values.map { .binary(.equal, subject, .constant($0)) }[...])
        try materializeAssigned(in: [body, defaultBody] + remaining.map(\.1), at: location)
        let (thenInstructions, thenFlow) = try lowerDynamicBranch(body)
        pushBuffer()
        let restFlow = try lowerSwitchChain(subject, remaining.dropFirst(), defaultBody, at: location)
        let elseInstructions = popBuffer()
        try emit(.ifElse(condition: condition, then: thenInstructions, otherwise: elseInstructions), at: location)
        return Lowerer.merge(thenFlow, restFlow)
    }
}
