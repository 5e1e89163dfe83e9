extension Lowerer {
    mutating func lowerFor(_ name: String, _ iterable: Expression, _ body: [Statement], at location: SourceLocation) throws(CompileError) -> Flow {
        let values = try loopValues(iterable)
        guard values.count <= options.maxLoopIterations else {
            throw CompileError(.limit, location, "The loop runs \(values.count) times, more than the limit of \(options.maxLoopIterations).")
        }
        loops.append(LoopContext(isRuntime: false, dynamicDepth: dynamicDepth, bufferLevel: buffers.count - 1,
                                 insertIndex: buffers[buffers.count - 1].count))
        defer { loops.removeLast() }
        for v in values {
            let flow = try lowerIteration(body, location: location) { lowerer throws(CompileError) in
                try lowerer.declare(name, v, at: location)
            }
            if let exit = flow { return exit }
        }
        return loopExitFlow()
    }

    /// Lowers one unrolled iteration; returns a flow when the loop must stop (static break / return / end).
    private mutating func lowerIteration(
        _ body: [Statement], location: SourceLocation, bind: (inout Lowerer) throws(CompileError) -> Void
    ) throws(CompileError) -> Flow? {
        try spendWork(at: location)
        let loop = loops[loops.count - 1]
        if let cont = loop.continueFlag {
            try emit(.assign(variable: cont, value: .constant(.bool(false))), at: location)
        }
        let guardCondition = loopGuard()
        pushScope(.block)
        defer { popScope() }
        try bind(&self)
        let flow: Flow
        if let guardCondition {
            // An earlier iteration may have broken out (or returned) at run time.
            try materializeAssigned(in: [body], at: location)
            let (instructions, innerFlow) = try lowerDynamicBranch(body)
            try emit(.ifElse(condition: guardCondition, then: instructions, otherwise: []), at: location)
            flow = innerFlow
        } else {
            flow = try lowerStatements(body, newScope: false)
        }
        switch flow {
        case .normal, .mayExit, .exit(.continueLoop): return nil
        case .exit(.breakLoop): return loopExitFlow()
        case .exit(.returned), .exit(.end): return flow
        }
    }

    /// Runtime guard for the next iteration: no break flag (and no return flag) set.
    private func loopGuard() -> ClassicalExpression? {
        var flags: [Int] = []
        if let f = loops.last?.breakFlag { flags.append(f) }
        if let f = subroutines.last?.returnFlag { flags.append(f) }
        guard var any = flags.first.map({ ClassicalExpression.variable($0) }) else { return nil }
        for f in flags.dropFirst() { any = .binary(.logicalOr, any, .variable(f)) }
        return .unary(.logicalNot, any)
    }

    /// What the enclosing block sees after a loop: a possible runtime return must guard the rest.
    private func loopExitFlow() -> Flow {
        subroutines.last?.returnFlag != nil ? .mayExit : .normal
    }

    /// What the loop variable is bound to in each iteration: constants, or single bits of a register.
    private mutating func loopValues(_ iterable: Expression) throws(CompileError) -> [Symbol] {
        if case .range = iterable.kind {} else if case .braced = iterable.kind {} else if case .bits(let bits, _) = try value(iterable) {
            return bits.map { .bits([$0], isRegister: false) }
        }
        return try loopConstants(iterable).map { .constant($0) }
    }

    private mutating func loopConstants(_ iterable: Expression) throws(CompileError) -> [ClassicalValue] {
        switch iterable.kind {
        case .range(let startExpression, let stepExpression, let endExpression):
            guard let startExpression, let endExpression else {
                throw CompileError(.syntax, iterable.location, "A loop range needs a start and an end: [start:end].")
            }
            let start = try constant(startExpression, "A loop bound")
            let end = try constant(endExpression, "A loop bound")
            let step = try stepExpression.map { e throws(CompileError) in try constant(e, "A loop step") } ?? .int(1)
            guard !start.isComplex && !end.isComplex && !step.isComplex else {
                throw CompileError(.type, iterable.location, "A loop range needs real bounds, not complex numbers.")
            }
            if case .int(let a) = start, case .int(let b) = end, case .int(let s) = step {
                guard s != 0 else { throw CompileError(.type, iterable.location, "A loop step cannot be zero.") }
                var values: [ClassicalValue] = []
                var i = a
                while s > 0 ? i <= b : i >= b {
                    values.append(.int(i))
                    guard values.count <= options.maxLoopIterations else { break }
                    let (next, overflow) = i.addingReportingOverflow(s)
                    if overflow { break }
                    i = next
                }
                return values
            }
            let a = start.asDouble, b = end.asDouble, s = step.asDouble
            guard s != 0 && s.isFinite && a.isFinite && b.isFinite else {
                throw CompileError(.type, iterable.location, "A loop range needs finite bounds and a non-zero step.")
            }
            var values: [ClassicalValue] = []
            var k = 0.0
            while true {
                let v = a + k * s
                if s > 0 ? v > b + 1e-12 : v < b - 1e-12 { break }
                values.append(.float(v))
                if values.count > options.maxLoopIterations { break }
                k += 1
            }
            return values
        case .braced(let items):
            var values: [ClassicalValue] = []
            for item in items { values.append(try constant(item, "A loop set element")) }
            return values
        default:
            switch try value(iterable) {
            case .array(let index, let offset, let shape):
                guard shape.count == 1, let count = shape.first else {
                    throw CompileError(.unsupported, iterable.location, "Loops over multi-dimensional arrays are not supported.")
                }
                var values: [ClassicalValue] = []
                for i in 0..<count {
                    guard case .known(let v) = variables[arrays[index].elements[offset + i]].storage else {
                        throw CompileError(.type, iterable.location, "Loop values must be known at compile time.")
                    }
                    values.append(v)
                }
                return values
            default:
                throw CompileError(.type, iterable.location, "Expected a range [a:b], a set {…} or an array to loop over.")
            }
        }
    }

    mutating func lowerWhile(_ conditionExpression: Expression, _ body: [Statement], at location: SourceLocation) throws(CompileError) -> Flow {
        loops.append(LoopContext(isRuntime: false, dynamicDepth: dynamicDepth, bufferLevel: buffers.count - 1,
                                 insertIndex: buffers[buffers.count - 1].count))
        defer { loops.removeLast() }
        var iterations = 0
        while true {
            // Unroll while the condition is known; once it depends on run time, emit a runtime loop.
            let condition = try classical(try value(conditionExpression), at: conditionExpression.location)
            guard case .known(let v) = condition, loops[loops.count - 1].breakFlag == nil,
                  subroutines.last?.returnFlag == nil else { break }
            if !v.isTruthy { return loopExitFlow() }
            iterations += 1
            guard iterations <= options.maxLoopIterations else {
                throw CompileError(.limit, location, "The loop runs more than \(options.maxLoopIterations) times.")
            }
            if let exit = try lowerIteration(body, location: location, bind: { _ throws(CompileError) in }) { return exit }
            if loops[loops.count - 1].breakFlag != nil || subroutines.last?.returnFlag != nil {
                break
            }
        }
        return try lowerRuntimeWhile(conditionExpression, body, at: location)
    }

    private mutating func lowerRuntimeWhile(_ conditionExpression: Expression, _ body: [Statement], at location: SourceLocation) throws(CompileError) -> Flow {
        try refuseRuntimeControlInGateBody(at: conditionExpression.location)
        try materializeAssigned(in: [body], at: location)
        var condition = runtimeExpression(try classical(try value(conditionExpression), at: conditionExpression.location))
        if let guardCondition = loopGuard() { condition = .binary(.logicalAnd, guardCondition, condition) }
        let outer = loops.removeLast()
        loops.append(LoopContext(isRuntime: true, dynamicDepth: dynamicDepth + 1, bufferLevel: buffers.count - 1,
                                 insertIndex: buffers[buffers.count - 1].count))
        let (instructions, _) = try lowerDynamicBranch(body)
        loops.removeLast()
        loops.append(outer)
        if let returnFlag = subroutines.last?.returnFlag {
            condition = .binary(.logicalAnd, .unary(.logicalNot, .variable(returnFlag)), condition)
        }
        try emit(.whileLoop(condition: condition, body: instructions, maxIterations: options.maxLoopIterations), at: location)
        return loopExitFlow()
    }

    mutating func lowerBreakOrContinue(isBreak: Bool, at location: SourceLocation) throws(CompileError) -> Flow {
        let word = isBreak ? "break" : "continue"
        guard loops.count > (subroutines.last?.loopDepth ?? 0) else {
            throw CompileError(.syntax, location, "'\(word)' is only allowed inside a loop.")
        }
        let kind: Flow.ExitKind = isBreak ? .breakLoop : .continueLoop
        let index = loops.count - 1
        let loop = loops[index]
        if loop.isRuntime {
            try emit(isBreak ? .breakLoop : .continueLoop, at: location)
            return .exit(kind)
        }
        if dynamicDepth == loop.dynamicDepth { return .exit(kind) }
        let flag: Int
        if isBreak {
            if let existing = loop.breakFlag { flag = existing } else {
                flag = newFlag(level: loop.bufferLevel, index: loop.insertIndex)
                loops[index].breakFlag = flag
            }
        } else {
            if let existing = loop.continueFlag { flag = existing } else {
                flag = newFlag(level: loop.bufferLevel, index: loop.insertIndex)
                loops[index].continueFlag = flag
            }
        }
        try emit(.assign(variable: flag, value: .constant(.bool(true))), at: location)
        return .exit(kind)
    }
}
