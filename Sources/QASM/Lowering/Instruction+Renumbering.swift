extension Instruction {
    /// Shifts every classical bit index ≥ `base` by `shift` (moves scratch bits after the declared ones).
    func renumberingBits(from base: Int, by shift: Int) -> Instruction {
        func bit(_ b: Int) -> Int { b >= base ? b + shift : b }
        func all(_ list: [Instruction]) -> [Instruction] { list.map { $0.renumberingBits(from: base, by: shift) } }
        switch self {
        case .measure(let qubit, let b): return .measure(qubit: qubit, bit: bit(b))
        case .assign(let variable, let value): return .assign(variable: variable, value: value.renumberingBits(from: base, by: shift))
        case .assignBit(let b, let value): return .assignBit(bit: bit(b), value: value.renumberingBits(from: base, by: shift))
        case .ifElse(let condition, let then, let otherwise):
            return .ifElse(condition: condition.renumberingBits(from: base, by: shift), then: all(then), otherwise: all(otherwise))
        case .whileLoop(let condition, let body, let maxIterations):
            return .whileLoop(condition: condition.renumberingBits(from: base, by: shift), body: all(body), maxIterations: maxIterations)
        case .runtimeGate(let gate): return .runtimeGate(gate.renumberingBits(from: base, by: shift))
        case .runtimeBlock(let block): return .runtimeBlock(block.renumberingBits(from: base, by: shift))
        default: return self
        }
    }
}

extension RuntimeGateApplication {
    func renumberingBits(from base: Int, by shift: Int) -> RuntimeGateApplication {
        var gate = self
        gate.theta = theta.renumberingBits(from: base, by: shift)
        gate.phi = phi.renumberingBits(from: base, by: shift)
        gate.lambda = lambda.renumberingBits(from: base, by: shift)
        gate.phase = phase.renumberingBits(from: base, by: shift)
        return gate
    }
}

extension RuntimeBlock {
    func renumberingBits(from base: Int, by shift: Int) -> RuntimeBlock {
        var block = self
        block.steps = steps.map { step in
            switch step {
            case .gate, .phase: return step
            case .runtimeGate(let gate): return .runtimeGate(gate.renumberingBits(from: base, by: shift))
            case .runtimePhase(let angle): return .runtimePhase(angle.renumberingBits(from: base, by: shift))
            case .block(let inner): return .block(inner.renumberingBits(from: base, by: shift))
            }
        }
        return block
    }
}

extension ClassicalExpression {
    func renumberingBits(from base: Int, by shift: Int) -> ClassicalExpression {
        func bit(_ b: Int) -> Int { b >= base ? b + shift : b }
        switch self {
        case .constant, .variable: return self
        case .bit(let b): return .bit(bit(b))
        case .bits(let bits): return .bits(bits.map(bit))
        case .unary(let op, let e): return .unary(op, e.renumberingBits(from: base, by: shift))
        case .binary(let op, let a, let b):
            return .binary(op, a.renumberingBits(from: base, by: shift), b.renumberingBits(from: base, by: shift))
        case .call(let name, let arguments): return .call(name, arguments.map { $0.renumberingBits(from: base, by: shift) })
        case .cast(let target, let e): return .cast(target, e.renumberingBits(from: base, by: shift))
        }
    }
}
