extension Lowerer {
    mutating func defineGate(_ definition: GateDefinition) throws(CompileError) {
        let location = definition.location
        guard isGlobalScope && !inGateBody else {
            throw CompileError(.syntax, location, "Gates must be defined at global scope.")
        }
        if definition.name == "U" || definition.name == "gphase" || (gates[definition.name] != nil && !isReplaceableGate(definition.name)) {
            throw CompileError(.redeclaration, location, "Gate '\(definition.name)' is already defined.")
        }
        if scopes[0].symbols[definition.name] != nil {
            throw CompileError(.redeclaration, location, "'\(definition.name)' is already declared.")
        }
        let names = definition.parameters + definition.qubits
        guard Set(names).count == names.count else {
            throw CompileError(.redeclaration, location, "Gate '\(definition.name)' uses the same name twice in its arguments.")
        }
        gates[definition.name] = .user(definition)
        userGateNames.insert(definition.name)
        // Check the body now so mistakes are reported even in unused gates (parameters get sample values).
        let samples = definition.parameters.indices.map { GateParameter.known(0.3 + 0.1 * Double($0)) }
        do {
            _ = try userGateOperations(definition, parameters: samples, at: location)
        } catch {
            gates[definition.name] = nil
            throw error
        }
    }

    /// The operations of a user gate on local qubits 0..<qubits.count.
    /// Run-time parameters are bound to fresh read-only slots, so the body's operations read the values the
    /// caller passed even if the caller's variables change later.
    mutating func userGateOperations(_ definition: GateDefinition, parameters: [GateParameter], at location: SourceLocation) throws(CompileError) -> [GateOperation] {
        var knownParameters: [Double] = []
        for case .known(let value) in parameters { knownParameters.append(value) }
        let isCacheable = knownParameters.count == parameters.count
        let key = GateCacheKey(name: definition.name, parameters: knownParameters)
        if isCacheable, let cached = gateCache[key] { return cached }
        if gateStack.contains(definition.name) {
            throw CompileError(.type, location, "Gate '\(definition.name)' calls itself; gates cannot be recursive.")
        }
        guard gateStack.count < options.maxRecursionDepth else {
            throw CompileError(.limit, location, "Gate calls are nested deeper than \(options.maxRecursionDepth) levels.")
        }
        gateStack.append(definition.name)
        let savedScopes = scopes
        scopes = [scopes[0], Scope(kind: .gate)]
        for (name, parameter) in zip(definition.parameters, parameters) {
            switch parameter {
            case .known(let value):
                scopes[1].symbols[name] = .constant(.float(value))
            case .runtime(let expression):
                let slot = try captureSlot(expression, at: location)
                variables.append(Variable(name: name, type: .float, storage: .slot(slot), isConst: true, depth: dynamicDepth))
                scopes[1].symbols[name] = .variable(variables.count - 1)
            }
        }
        for (index, name) in definition.qubits.enumerated() {
            scopes[1].symbols[name] = .qubits([index], isRegister: false)
        }
        gateBuffers.append([])
        defer {
            scopes = savedScopes
            gateStack.removeLast()
        }
        do {
            _ = try lowerStatements(definition.body, newScope: false)
        } catch {
            gateBuffers.removeLast()
            throw error
        }
        let operations = gateBuffers.removeLast()
        if isCacheable && gateCache.count < 4096 { gateCache[key] = operations }
        return operations
    }

    /// Stores a run-time value in a fresh slot that nothing else writes, and reads it from there.
    mutating func captureSlot(_ expression: ClassicalExpression, at location: SourceLocation) throws(CompileError) -> Int {
        let slot = slotCount
        slotCount += 1
        try emit(.assign(variable: slot, value: expression), at: location)
        return slot
    }

    /// A gate parameter or pow exponent: folded when known, else a float expression evaluated at run time.
    mutating func gateParameter(_ expression: Expression) throws(CompileError) -> GateParameter {
        let saved = realDivision
        realDivision = true
        defer { realDivision = saved }
        let parameter = try classical(try value(expression), at: expression.location)
        if Lowerer.isComplex(runtimeExpression(parameter)) {
            throw CompileError(.type, expression.location, "A gate parameter must be a real number, not a complex one.")
        }
        switch parameter {
        case .known(let v):
            let number = v.asDouble
            guard number.isFinite else {
                throw CompileError(.type, expression.location, "A gate parameter is not a finite number.")
            }
            return .known(number)
        case let other:
            return .runtime(.cast(.init(kind: .float), runtimeExpression(other)))
        }
    }

    mutating func lowerGateBodyStatement(_ statement: Statement) throws(CompileError) -> Flow {
        switch statement.kind {
        case .gateCall(let call):
            try lowerGateCall(call)
        case .forLoop(let variable, let iterable, let body):
            return try lowerFor(variable, iterable, body, at: statement.location)
        case .whileLoop(let condition, let body):
            return try lowerWhile(condition, body, at: statement.location)
        case .ifElse(let condition, let then, let otherwise):
            return try lowerIf(condition, then: then, otherwise: otherwise ?? [], at: statement.location)
        case .block(let statements):
            return try lowerStatements(statements)
        case .classicalDeclaration(let declaration) where declaration.type.base != .bit && declaration.io == .none:
            try declareClassical(declaration, at: statement.location)
        case .assignment(let target, let op, let value):
            try lowerAssignment(target: target, op: op, value: value, at: statement.location)
        case .breakLoop:
            return try lowerBreakOrContinue(isBreak: true, at: statement.location)
        case .continueLoop:
            return try lowerBreakOrContinue(isBreak: false, at: statement.location)
        case .barrier, .delay, .ignored:
            break
        case .measureArrow, .reset:
            throw CompileError(.type, statement.location, "Gate bodies cannot measure or reset; use a 'def' subroutine.")
        default:
            throw CompileError(.syntax, statement.location, "Only gate calls, loops and timing statements are allowed in a gate body.")
        }
        return .normal
    }

    /// A gate call in four steps: the called gate's own operations on local qubits, its modifiers (controls, pow,
    /// inv) applied to them, then placed on the call's qubits — inside a gate definition's body, or broadcast over
    /// registers into the program.
    mutating func lowerGateCall(_ call: GateCall) throws(CompileError) {
        try spendWork(at: call.nameLocation)
        var (operations, baseQubits) = try calledGateOperations(call)
        let (controlCounts, powers) = try readModifiers(call)
        operations = try applyModifiers(call, to: operations, baseQubits: baseQubits, controlCounts: controlCounts, powers: powers)
        var operands: [(qubits: [Int], isRegister: Bool)] = []
        for qubit in call.qubits { operands.append(try qubitOperand(qubit)) }
        if inGateBody {
            try placeInGateBody(call, operations, operands: operands)
        } else {
            try broadcast(call, operations, operands: operands)
        }
    }

    /// The called gate's own operations on local qubits 0..<baseQubits, its parameters evaluated (or captured
    /// for run time).
    private mutating func calledGateOperations(_ call: GateCall) throws(CompileError) -> (operations: [GateOperation], baseQubits: Int) {
        let location = call.nameLocation
        var operations: [GateOperation]
        let baseQubits: Int
        if call.name == "gphase" {
            guard call.parameters.count == 1 else {
                throw CompileError(.arity, location, "'gphase' takes 1 parameter, got \(call.parameters.count).")
            }
            switch try gateParameter(call.parameters[0]) {
            case .known(let angle): operations = [.phase(angle)]
            case .runtime(let angle): operations = [.runtimePhase(.variable(try captureSlot(angle, at: location)))]
            }
            baseQubits = 0
        } else {
            guard let entry = gates[call.name] else {
                var message = "Gate '\(call.name)' is not defined."
                if StandardLibrary.stdgates.contains(where: { $0.name == call.name }) && version == 3 {
                    message = "Gate '\(call.name)' is not defined; add 'include \"stdgates.inc\";'."
                } else if StandardLibrary.qelib1.contains(where: { $0.name == call.name }) && version == 2 {
                    message = "Gate '\(call.name)' is not defined; add 'include \"qelib1.inc\";'."
                } else if lookup(call.name) != nil {
                    message = "'\(call.name)' is not a gate."
                }
                throw CompileError(.undefinedName, location, message)
            }
            let parameterCount: Int
            switch entry {
            case .native(let gate):
                parameterCount = gate.parameterCount
                baseQubits = gate.qubitCount
            case .user(let definition):
                parameterCount = definition.parameters.count
                baseQubits = definition.qubits.count
            }
            guard call.parameters.count == parameterCount else {
                throw CompileError(.arity, location,
                                   "Gate '\(call.name)' takes \(parameterCount) parameter\(parameterCount == 1 ? "" : "s"), got \(call.parameters.count).")
            }
            var parameters: [GateParameter] = []
            parameters.reserveCapacity(parameterCount)
            for p in call.parameters { parameters.append(try gateParameter(p)) }
            var knownParameters: [Double] = []
            for case .known(let value) in parameters { knownParameters.append(value) }
            switch entry {
            case .native(let gate) where knownParameters.count == parameters.count:
                operations = gate.fixedOperations ?? gate.build(knownParameters)
            case .native(let gate):
                guard let runtimeBuild = gate.runtimeBuild else {
                    throw CompileError(.unsupported, location, "Gate '\(call.name)' cannot take parameters known only at run time.")
                }
                // Inside a gate body a captured slot keeps the value even if a local variable changes later.
                var expressions: [ClassicalExpression] = []
                for parameter in parameters {
                    switch parameter {
                    case .known(let value): expressions.append(.constant(.float(value)))
                    case .runtime(let e): expressions.append(inGateBody ? .variable(try captureSlot(e, at: location)) : e)
                    }
                }
                operations = runtimeBuild(expressions)
            case .user(let definition):
                operations = try userGateOperations(definition, parameters: parameters, at: location)
            }
        }

        return (operations, baseQubits)
    }

    /// Control counts and pow exponents, leftmost modifier first.
    private mutating func readModifiers(_ call: GateCall) throws(CompileError) -> (controlCounts: [Int], powers: [Double]) {
        var controlCounts: [Int] = []
        var powers: [Double] = []
        for modifier in call.modifiers {
            switch modifier.kind {
            case .control(let count, _):
                let n = try count.map { e throws(CompileError) in try constantInt(e, "A control count") } ?? 1
                guard n >= 1 && n <= 64 else {
                    throw CompileError(.type, modifier.location, "A control count must be a positive integer, got \(n).")
                }
                controlCounts.append(n)
            case .power(let exponent):
                powers.append(try constantDouble(exponent, "A pow exponent"))
            case .inverse:
                break
            }
        }
        return (controlCounts, powers)
    }

    /// Applies the modifiers right to left (the innermost first); controls come first in the operand list.
    private func applyModifiers(
        _ call: GateCall, to base: [GateOperation], baseQubits: Int, controlCounts: [Int], powers: [Double]
    ) throws(CompileError) -> [GateOperation] {
        let location = call.nameLocation
        var operations = base
        let controlTotal = controlCounts.reduce(0, +)
        let expected = controlTotal + baseQubits
        guard call.qubits.count == expected else {
            throw CompileError(.arity, call.qubits.first?.location ?? location,
                               "'\(call.name)' acts on \(expected) qubit\(expected == 1 ? "" : "s")\(controlTotal > 0 ? " (with controls)" : ""), got \(call.qubits.count).")
        }
        if controlTotal > 0 {
            operations = operations.map { $0.mapped(Array(controlTotal..<(controlTotal + baseQubits))) }
        }
        var controlStart = controlTotal
        var countIndex = controlCounts.count - 1
        var powerIndex = powers.count - 1
        for modifier in call.modifiers.reversed() {
            switch modifier.kind {
            case .inverse:
                operations = GateModifiers.inverse(operations)
            case .power:
                let exponent = powers[powerIndex]
                powerIndex -= 1
                do throws(MatrixMath.Failure) {
                    operations = try GateModifiers.power(
                        operations, exponent: exponent, maxOperations: options.maxOperations, name: call.name)
                } catch {
                    throw CompileError(error == .tooLarge ? .limit : .unsupported, modifier.location,
                                       "pow(\(exponent)) of '\(call.name)' is too large to compute (it spans too many qubits or operations).")
                }
            case .control(_, let negated):
                let n = controlCounts[countIndex]
                countIndex -= 1
                controlStart -= n
                operations = GateModifiers.control(operations, controls: Array(controlStart..<(controlStart + n)), value: !negated)
            }
        }

        return operations
    }

    /// Inside a gate definition: each argument is one local qubit; the operations join the body being built.
    private mutating func placeInGateBody(
        _ call: GateCall, _ operations: [GateOperation], operands: [(qubits: [Int], isRegister: Bool)]
    ) throws(CompileError) {
        let location = call.nameLocation
        var map: [Int] = []
        for (operand, expression) in zip(operands, call.qubits) {
            guard operand.qubits.count == 1, let qubit = operand.qubits.first else {
                throw CompileError(.type, expression.location, "Inside a gate body each argument is a single qubit.")
            }
            map.append(qubit)
        }
        guard Lowerer.allDistinct(map) else {
            throw CompileError(.type, location, "Gate '\(call.name)' is applied to the same qubit more than once.")
        }
        let level = gateBuffers.count - 1
        guard gateBuffers[level].count + operations.count <= options.maxOperations else {
            throw CompileError(.limit, location,
                               "A gate definition expands to more than \(options.maxOperations) operations.")
        }
        if map == Array(0..<map.count) {
            gateBuffers[level].append(contentsOf: operations)
        } else {
            for operation in operations { gateBuffers[level].append(operation.mapped(map)) }
        }
    }

    /// In the program: registers of equal size broadcast the call over their qubits, single qubits repeat.
    private mutating func broadcast(
        _ call: GateCall, _ operations: [GateOperation], operands: [(qubits: [Int], isRegister: Bool)]
    ) throws(CompileError) {
        let location = call.nameLocation
        var repetitions: Int?
        for operand in operands where operand.isRegister {
            if let size = repetitions, size != operand.qubits.count {
                let sizes = Set(operands.filter(\.isRegister).map(\.qubits.count)).sorted().map(String.init)
                throw CompileError(.type, location, "Registers given to '\(call.name)' must have the same size (got sizes \(sizes.joined(separator: ", "))).")
            }
            repetitions = operand.qubits.count
        }
        for j in 0..<(repetitions ?? 1) {
            let map = operands.map { $0.isRegister ? $0.qubits[j] : $0.qubits[0] }
            guard Lowerer.allDistinct(map) else {
                throw CompileError(.type, location, "Gate '\(call.name)' is applied to the same qubit more than once.")
            }
            for operation in operations {
                switch operation {
                case .phase(let angle):
                    if angle != 0 { try emit(.globalPhase(angle), at: location) }
                case .unitary(let u):
                    try emit(.gate(GateApplication(
                        name: u.name,
                        targets: u.targets.map { map[$0] },
                        matrix: u.matrix,
                        controls: u.controls.map { map[$0] },
                        controlValues: u.controlValues)), at: location)
                case .runtimeUnitary(var r):
                    r.target = map[r.target]
                    r.controls = r.controls.map { map[$0] }
                    try emit(.runtimeGate(r), at: location)
                case .runtimePhase:
                    // An uncontrolled global phase: invisible in every outcome, and state vectors of programs
                    // with run-time values are not defined.
                    continue
                case .runtimeBlock(let block):
                    let placed = block.mapped(map)
                    // No qubits: phases only, an uncontrolled global phase like the case above.
                    if placed.qubits.isEmpty { continue }
                    try emit(.runtimeBlock(placed), at: location)
                }
            }
        }
    }

    /// Pairwise distinct (gate operand lists are short, so a quadratic scan beats building a Set).
    static func allDistinct(_ values: [Int]) -> Bool {
        if values.count > 16 { return Set(values).count == values.count }
        for i in values.indices {
            for j in values.indices where j > i && values[i] == values[j] { return false }
        }
        return true
    }
}
