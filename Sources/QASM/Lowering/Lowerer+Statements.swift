extension Lowerer {
    mutating func lowerStatements(_ statements: [Statement], newScope: Bool = true) throws(CompileError) -> Flow {
        if newScope { pushScope(.block) }
        defer { if newScope { popScope() } }
        var index = 0
        while index < statements.count {
            let flow = try lowerStatement(statements[index])
            index += 1
            switch flow {
            case .normal: continue
            case .exit: return flow
            case .mayExit:
                guard index < statements.count else { return .mayExit }
                // Some path set a break/continue/return flag: run the rest only while none is set.
                let condition = exitGuard()
                // Exits done by the engine (break/continue of a runtime loop) need no guard.
                if case .constant = condition { continue }
                let rest = Array(statements[index...])
                try materializeAssigned(in: [rest], at: statements[index].location)
                dynamicDepth += 1
                pushBuffer()
                // An `end` in the guarded rest is a run-time `.end`: code after this block still runs on other paths.
                _ = try lowerStatements(rest, newScope: false)
                let guarded = popBuffer()
                dynamicDepth -= 1
                try emit(.ifElse(condition: condition, then: guarded, otherwise: []), at: statements[index].location)
                return .mayExit
            }
        }
        return .normal
    }

    /// True while no exit flag of the innermost loop / subroutine is set.
    func exitGuard() -> ClassicalExpression {
        var flags: [Int] = []
        let subroutineLoopDepth = subroutines.last?.loopDepth ?? 0
        if let loop = loops.last, loops.count > subroutineLoopDepth {
            if let f = loop.breakFlag { flags.append(f) }
            if let f = loop.continueFlag { flags.append(f) }
        }
        if let f = subroutines.last?.returnFlag { flags.append(f) }
        guard var any = flags.first.map({ ClassicalExpression.variable($0) }) else { return .constant(.bool(true)) }
        for f in flags.dropFirst() { any = .binary(.logicalOr, any, .variable(f)) }
        return .unary(.logicalNot, any)
    }

    mutating func lowerStatement(_ statement: Statement) throws(CompileError) -> Flow {
        let location = statement.location
        if inGateBody {
            return try lowerGateBodyStatement(statement)
        }
        switch statement.kind {
        case .include(let path):
            try include(path, at: location)
        case .qubitDeclaration(let name, let size):
            try declareQubits(name, size: size, at: location)
        case .classicalDeclaration(let declaration):
            try declareClassical(declaration, at: location)
        case .alias(let name, let valueExpression):
            let aliased = try value(valueExpression)
            switch aliased {
            case .qubits, .bits: try declare(name, symbolFor(aliased), at: location)
            default: throw CompileError(.type, valueExpression.location, "'let' aliases qubits or bits (registers, slices, concatenations).")
            }
        case .gateDefinition(let definition):
            try defineGate(definition)
        case .subroutine(let definition):
            guard isGlobalScope else { throw CompileError(.syntax, location, "Subroutines must be defined at global scope.") }
            try declare(definition.name, .subroutine(definition), at: location)
        case .gateCall(let call):
            try lowerGateCall(call)
        case .measureArrow(let source, let target):
            try lowerMeasure(source: source, target: target, at: location)
        case .assignment(let target, let op, let valueExpression):
            try lowerAssignment(target: target, op: op, value: valueExpression, at: location)
        case .reset(let operand):
            let (qubits, _) = try qubitOperand(operand)
            for q in qubits { try emit(.reset(qubit: q), at: location) }
        case .barrier(let operands):
            var qubits: [Int] = []
            if operands.isEmpty { qubits = Array(0..<qubitCount) }
            for operand in operands { qubits += try qubitOperand(operand).qubits }
            try emit(.barrier(qubits), at: location)
        case .delay(let operands):
            for operand in operands { _ = try qubitOperand(operand) }
        case .ifElse(let condition, let then, let otherwise):
            return try lowerIf(condition, then: then, otherwise: otherwise ?? [], at: location)
        case .forLoop(let variable, let iterable, let body):
            return try lowerFor(variable, iterable, body, at: location)
        case .whileLoop(let condition, let body):
            return try lowerWhile(condition, body, at: location)
        case .switchCase(let subject, let cases, let defaultBody):
            return try lowerSwitch(subject, cases, defaultBody, at: location)
        case .breakLoop:
            return try lowerBreakOrContinue(isBreak: true, at: location)
        case .continueLoop:
            return try lowerBreakOrContinue(isBreak: false, at: location)
        case .returnValue(let valueExpression):
            return try lowerReturn(valueExpression, at: location)
        case .end:
            // Under a measurement-dependent condition only the engine knows whether the shot ends here; inside
            // a subroutine the caller's expression cannot stop lowering, so the engine ends the shot too.
            if dynamicDepth > 0 || !subroutines.isEmpty { try emit(.end, at: location) }
            return .exit(.end)
        case .expression(let expression):
            if case .measure(let operand) = expression.kind {
                try lowerMeasure(source: operand, target: nil, at: location)
            } else if case .call(let name, let arguments) = expression.kind {
                _ = try call(name, arguments, at: expression.location)
            } else {
                _ = try value(expression)
            }
        case .block(let statements):
            return try lowerStatements(statements)
        case .externDeclaration(let name):
            externNames.insert(name)
        case .ignored:
            break
        }
        return .normal
    }

    func symbolFor(_ value: Value) -> Symbol {
        switch value {
        case .qubits(let q, let r): return .qubits(q, isRegister: r)
        case .bits(let b, let r): return .bits(b, isRegister: r)
        default: return .constant(.int(0))
        }
    }

    mutating func include(_ path: String, at location: SourceLocation) throws(CompileError) {
        guard isGlobalScope else { throw CompileError(.syntax, location, "'include' must be at global scope.") }
        let library: [NativeGate]
        switch path {
        case "stdgates.inc": library = StandardLibrary.stdgates
        case "qelib1.inc": library = StandardLibrary.qelib1
        default:
            throw CompileError(.unsupported, location,
                               "Cannot include \"\(path)\": only \"stdgates.inc\" and \"qelib1.inc\" are available.")
        }
        if userGateNames.isEmpty && gates.count <= 2 {
            // Common case (include first, so `gates` holds only the built-ins): share the prebuilt table.
            gates = StandardLibrary.includedTable(stdgates: path == "stdgates.inc", version: version)
            return
        }
        for gate in library where !userGateNames.contains(gate.name) {
            gates[gate.name] = .native(gate)
        }
    }

    mutating func lowerMeasure(source: Expression, target: Expression?, at location: SourceLocation) throws(CompileError) {
        let (qubits, _) = try qubitOperand(source)
        guard let target else {
            // A measurement whose result is discarded still collapses the state: measure into scratch bits.
            for (q, b) in zip(qubits, scratchBits(qubits.count)) { try emit(.measure(qubit: q, bit: b), at: location) }
            return
        }
        let (bits, _) = try bitOperand(target)
        guard bits.count == qubits.count else {
            throw CompileError(.type, location, "Cannot measure \(qubits.count) qubit(s) into \(bits.count) bit(s).")
        }
        for (q, b) in zip(qubits, bits) { try emit(.measure(qubit: q, bit: b), at: location) }
    }
}
