extension Lowerer {
    /// Built-in functions (folded when their arguments are known) and subroutine calls (inlined).
    mutating func call(_ rawName: String, _ arguments: [Expression], at location: SourceLocation) throws(CompileError) -> Value {
        // OpenQASM 2 spells the natural logarithm `ln`.
        let name = rawName == "ln" && version == 2 ? "log" : rawName
        if case .subroutine(let definition)? = lookup(name) {
            return try inlineSubroutine(definition, arguments, at: location)
        }
        if name == "sizeof" {
            guard let first = arguments.first, arguments.count <= 2 else {
                throw CompileError(.arity, location, "'sizeof' takes an array and an optional dimension.")
            }
            let dimension = try arguments.count == 2 ? constantInt(arguments[1], "A dimension") : 0
            let shape: [Int]
            switch try value(first) {
            case .array(_, _, let s): shape = s
            case .bits(let b, _), .qubits(let b, _): shape = [b.count]
            default: throw CompileError(.type, first.location, "'sizeof' needs an array or register.")
            }
            guard dimension >= 0 && dimension < shape.count else {
                throw CompileError(.indexOutOfRange, location, "Dimension \(dimension) does not exist.")
            }
            return .known(.int(shape[dimension]))
        }
        if externNames.contains(name) {
            throw CompileError(.unsupported, location, "'\(name)' is an extern function, which a simulator cannot run.")
        }
        guard let arity = ClassicalArithmetic.functionArity[name] else {
            if gates[name] != nil {
                throw CompileError(.syntax, location, "Gate '\(name)' needs qubit arguments: \(name)(...) q;")
            }
            throw CompileError(.undefinedName, location, "Function '\(name)' is not defined.")
        }
        let isRotation = name == "rotl" || name == "rotr"
        let given = isRotation ? arity - 1 : arity
        guard arguments.count == given else {
            throw CompileError(.arity, location, "'\(name)' takes \(given) argument\(given == 1 ? "" : "s"), got \(arguments.count).")
        }
        var values: [Value] = []
        for argument in arguments { values.append(try value(argument)) }
        var width = 0
        if isRotation, case .bits(let b, _) = values[0] { width = b.count }
        if isRotation, case .identifier(let variableName) = arguments[0].kind, case .variable(let index)? = lookup(variableName) {
            width = variables[index].type.cast.width ?? 0
        }
        var operands: [Value] = []
        for (v, argument) in zip(values, arguments) { operands.append(try classical(v, at: argument.location)) }
        if isRotation { operands.append(.known(.int(width))) }
        if !ClassicalArithmetic.complexFunctions.contains(name),
           operands.contains(where: { Lowerer.isComplex(runtimeExpression($0)) }) {
            throw CompileError(.type, location, "'\(name)' needs real arguments, not a complex number.")
        }
        var knownValues: [ClassicalValue] = []
        for operand in operands { if case .known(let v) = operand { knownValues.append(v) } }
        if knownValues.count == operands.count {
            do throws(ClassicalEvaluationError) {
                return .known(try ClassicalArithmetic.call(name, knownValues))
            } catch {
                throw CompileError(.type, location, error.message)
            }
        }
        return .runtime(.call(name, operands.map { runtimeExpression($0) }))
    }

    private mutating func inlineSubroutine(_ definition: SubroutineDefinition, _ arguments: [Expression], at location: SourceLocation) throws(CompileError) -> Value {
        guard arguments.count == definition.parameters.count else {
            throw CompileError(.arity, location, "Subroutine '\(definition.name)' takes \(definition.parameters.count) argument(s), got \(arguments.count).")
        }
        try spendWork(at: location)
        guard subroutines.count < options.maxRecursionDepth else {
            throw CompileError(.limit, location, "Subroutine calls are nested deeper than \(options.maxRecursionDepth) levels (recursion?).")
        }
        guard !inGateBody else {
            throw CompileError(.type, location, "Subroutines cannot be called inside a gate body.")
        }
        // Evaluate arguments in the caller's scope first.
        var bindings: [(String, Symbol)] = []
        var pendingVariables: [(String, Variable)] = []
        for (parameter, argument) in zip(definition.parameters, arguments) {
            switch parameter.type.base {
            case .qubit:
                let (qubits, isRegister) = try qubitOperand(argument)
                if let width = parameter.type.width {
                    let size = try constantInt(width, "A register size")
                    guard size == qubits.count else {
                        throw CompileError(.type, argument.location, "'\(parameter.name)' expects \(size) qubit(s), got \(qubits.count).")
                    }
                }
                bindings.append((parameter.name, .qubits(qubits, isRegister: parameter.type.width != nil || isRegister && qubits.count != 1)))
            case .bit where parameter.type.width != nil:
                let (bits, _) = try bitOperand(argument)
                bindings.append((parameter.name, .bits(bits, isRegister: true)))
            case .array:
                guard case .array(let index, let offset, let shape) = try value(argument) else {
                    throw CompileError(.type, argument.location, "'\(parameter.name)' expects an array.")
                }
                // Arrays are passed by reference: a slice or row passes its elements.
                bindings.append((parameter.name, .array(try wholeArray(index, offset: offset, shape: shape, at: argument.location))))
            default:
                let type = try classicalType(parameter.type)
                let v = try cast(try classical(try value(argument), at: argument.location), to: type, at: argument.location)
                let storage: Storage
                switch v {
                case .known(let k): storage = .known(k)
                default:
                    let slot = slotCount
                    slotCount += 1
                    try emit(.assign(variable: slot, value: runtimeExpression(v)), at: argument.location)
                    storage = .slot(slot)
                }
                pendingVariables.append((parameter.name, Variable(name: parameter.name, type: type, storage: storage, isConst: false, depth: dynamicDepth)))
            }
        }
        let returnType = try definition.returnType.map { t throws(CompileError) in try classicalType(t) }
        subroutines.append(SubroutineContext(
            dynamicDepth: dynamicDepth, loopDepth: loops.count, returnType: returnType,
            bufferLevel: buffers.count - 1, insertIndex: buffers[buffers.count - 1].count))
        // The body sees globals and its parameters, not the caller's locals.
        let savedScopes = scopes
        let savedRealDivision = realDivision
        scopes = [scopes[0], Scope(kind: .subroutine)]
        realDivision = false
        defer {
            scopes = savedScopes
            realDivision = savedRealDivision
        }
        for (name, symbol) in bindings { try declare(name, symbol, at: definition.location) }
        for (name, variable) in pendingVariables {
            variables.append(variable)
            try declare(name, .variable(variables.count - 1), at: definition.location)
        }
        let flow: Flow
        do {
            flow = try lowerStatements(definition.body, newScope: false)
        } catch {
            subroutines.removeLast()
            throw error
        }
        _ = flow
        let context = subroutines.removeLast()
        if let slot = context.returnSlot {
            if let type = context.returnType, type.cast.kind == .complex { return .runtime(.cast(type.cast, .variable(slot))) }
            return .runtime(.variable(slot))
        }
        return context.returnValue ?? .known(.int(0))
    }

    mutating func lowerReturn(_ expression: Expression?, at location: SourceLocation) throws(CompileError) -> Flow {
        guard let context = subroutines.last else {
            throw CompileError(.syntax, location, "'return' is only allowed inside a subroutine.")
        }
        var result: Value?
        if let expression {
            var measured: Value?
            if case .measure(let source) = expression.kind {
                let (qubits, isRegister) = try qubitOperand(source)
                let bits = scratchBits(qubits.count)
                for (q, b) in zip(qubits, bits) { try emit(.measure(qubit: q, bit: b), at: location) }
                measured = .bits(bits, isRegister: isRegister)
            }
            if measured == nil { measured = try value(expression) }
            var v = try classical(measured ?? .known(.int(0)), at: expression.location)
            if let type = context.returnType { v = try cast(v, to: type, at: expression.location) }
            result = v
        }
        let index = subroutines.count - 1
        let insideRuntimeLoop = loops.dropFirst(context.loopDepth).contains { $0.isRuntime }
        if dynamicDepth == context.dynamicDepth && !insideRuntimeLoop {
            subroutines[index].returnValue = result
            return .exit(.returned)
        }
        let flag: Int
        if let existing = context.returnFlag { flag = existing } else {
            flag = newFlag(level: context.bufferLevel, index: context.insertIndex)
            subroutines[index].returnFlag = flag
        }
        if let result {
            let slot: Int
            if let existing = subroutines[index].returnSlot { slot = existing } else {
                slot = newFlag(level: context.bufferLevel, index: context.insertIndex)
                subroutines[index].returnSlot = slot
            }
            try emit(.assign(variable: slot, value: runtimeExpression(result)), at: location)
        }
        try emit(.assign(variable: flag, value: .constant(.bool(true))), at: location)
        if insideRuntimeLoop { try emit(.breakLoop, at: location) }
        return .exit(.returned)
    }
}
