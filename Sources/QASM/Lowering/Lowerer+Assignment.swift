extension Lowerer {
    mutating func lowerAssignment(target: Expression, op: String, value valueExpression: Expression, at location: SourceLocation) throws(CompileError) {
        var rhs = valueExpression
        if op != "=" {
            let binary = String(op.dropLast())
            guard binary != "~" else { throw CompileError(.syntax, location, "'~=' is not an assignment operator.") }
            rhs = Expression(.binary(binary, target, valueExpression), location)
        }
        if case .measure(let source) = rhs.kind {
            try lowerMeasure(source: source, target: target, at: location)
            return
        }
        // Targets: a variable, an array element, or bits.
        if case .identifier(let name) = target.kind {
            guard let symbol = lookup(name) else {
                throw CompileError(.undefinedName, target.location, "'\(name)' is not declared.")
            }
            switch symbol {
            case .variable(let index):
                try assignVariable(index, rhs, at: location)
                return
            case .bits(let bits, _):
                try assignBits(bits, from: rhs, at: location)
                return
            case .constant:
                throw CompileError(.type, target.location, "'\(name)' is a constant and cannot be assigned.")
            case .qubits:
                throw CompileError(.type, target.location, "Qubit '\(name)' cannot be assigned; use gates or measure.")
            case .array(let arrayIndex):
                try assignArray(arrayIndex, offset: 0, shape: arrays[arrayIndex].shape, from: rhs, op: op, at: location)
                return
            case .subroutine:
                throw CompileError(.type, target.location, "'\(name)' is a subroutine and cannot be assigned.")
            }
        }
        if case .index = target.kind, let view = try arrayTarget(target) {
            if view.shape.isEmpty {
                try assignVariable(arrays[view.index].elements[view.offset], rhs, at: location)
            } else {
                // A slice or a row: element-wise through the view.
                try assignArray(view.index, offset: view.offset, shape: view.shape, from: rhs, op: op, at: location)
            }
            return
        }
        guard case .bits(let bits, _) = try value(target) else {
            throw CompileError(.type, target.location, "This cannot be assigned to.")
        }
        try assignBits(bits, from: rhs, at: location)
    }

    mutating func assignVariable(_ index: Int, _ expression: Expression, at location: SourceLocation) throws(CompileError) {
        guard !variables[index].isConst else {
            throw CompileError(.type, location, "'\(variables[index].name)' is a constant and cannot be assigned.")
        }
        try assignVariable(index, value: try classical(try value(expression), at: expression.location),
                           at: location, valueLocation: expression.location)
    }

    mutating func assignVariable(_ index: Int, value: Value, at location: SourceLocation, valueLocation: SourceLocation) throws(CompileError) {
        let variable = variables[index]
        guard !variable.isConst else {
            throw CompileError(.type, location, "'\(variable.name)' is a constant and cannot be assigned.")
        }
        let newValue = try cast(value, to: variable.type, at: valueLocation)
        switch (variables[index].storage, newValue) {
        case (.known, .known(let v)) where variables[index].depth == dynamicDepth:
            variables[index].storage = .known(v)
        case (.slot(let slot), _):
            try emit(.assign(variable: slot, value: runtimeExpression(newValue)), at: location)
        case (.known, _):
            let slot = slotCount
            slotCount += 1
            try emit(.assign(variable: slot, value: runtimeExpression(newValue)), at: location)
            variables[index].storage = .slot(slot)
        }
    }

    /// `a = b;`, `a[1:2] = b[0:1];`, `a[0] = {1, 2};` (a row): element-wise copies between equal shapes.
    mutating func assignArray(_ index: Int, offset: Int, shape: [Int], from expression: Expression, op: String, at location: SourceLocation) throws(CompileError) {
        guard op == "=" else {
            throw CompileError(.type, location, "'\(op)' does not apply to arrays; assign with '='.")
        }
        let targets = Array(elementVariables(index, offset: offset, shape: shape))
        var values: [Value] = []
        if case .braced = expression.kind {
            try flattenArrayLiteral(expression, shape: shape[...], into: &values)
        } else {
            guard case .array(let source, let sourceOffset, let sourceShape) = try value(expression) else {
                throw CompileError(.type, expression.location, "Expected an array of shape \(shape) here.")
            }
            guard sourceShape == shape else {
                throw CompileError(.type, expression.location, "Cannot assign an array of shape \(sourceShape) to one of shape \(shape).")
            }
            let sources = elementVariables(source, offset: sourceOffset, shape: sourceShape)
            let overlaps = !Set(targets).isDisjoint(with: sources)
            for element in sources {
                var v = read(variables[element])
                // Overlapping copies (a[1:2] = a[0:1]) must read every old value before writing any.
                if overlaps, case .runtime(let e) = v { v = .runtime(.variable(try captureSlot(e, at: location))) }
                values.append(v)
            }
        }
        try spendWork(targets.count, at: location)
        for (target, v) in zip(targets, values) {
            try assignVariable(target, value: v, at: location, valueLocation: expression.location)
        }
    }

    /// Writes a classical value (bit string, integer, bool, runtime expression) into bits; bit 0 = least significant.
    mutating func assignBits(_ bits: [Int], from expression: Expression, at location: SourceLocation) throws(CompileError) {
        if case .measure(let source) = expression.kind {
            let (qubits, _) = try qubitOperand(source)
            guard qubits.count == bits.count else {
                throw CompileError(.type, location, "Cannot measure \(qubits.count) qubit(s) into \(bits.count) bit(s).")
            }
            for (q, b) in zip(qubits, bits) { try emit(.measure(qubit: q, bit: b), at: location) }
            return
        }
        if case .bitstring(let digits) = expression.kind, digits.count != bits.count {
            throw CompileError(.type, expression.location, "Bit string has \(digits.count) bits but the target has \(bits.count).")
        }
        let source = try value(expression)
        if case .bits(let from, _) = source {
            guard from.count == bits.count else {
                throw CompileError(.type, expression.location, "Cannot assign \(from.count) bit(s) to \(bits.count) bit(s).")
            }
            for (target, bit) in zip(bits, from) { try emit(.assignBit(bit: target, value: .bit(bit)), at: location) }
            return
        }
        switch try classical(source, at: expression.location) {
        case .known(let v):
            if v.isComplex {
                throw CompileError(.type, expression.location, "A complex value cannot be stored in bits.")
            }
            if bits.count == 1 {
                try emit(.assignBit(bit: bits[0], value: .constant(.bool(v.isTruthy))), at: location)
                return
            }
            let integer: Int
            do throws(ClassicalEvaluationError) {
                integer = try v.asInt("A bit register value")
            } catch {
                throw CompileError(.type, expression.location, error.message)
            }
            for (j, b) in bits.enumerated() {
                let set = j < 64 && (integer >> j) & 1 == 1
                try emit(.assignBit(bit: b, value: .constant(.bool(set))), at: location)
            }
        case .runtime(let e):
            try Lowerer.requireReal(e, .bit, at: expression.location)
            if bits.count == 1 {
                try emit(.assignBit(bit: bits[0], value: e), at: location)
                return
            }
            for (j, b) in bits.enumerated() {
                let bit = ClassicalExpression.binary(.bitAnd, .binary(.shiftRight, e, .constant(.int(min(j, 63)))), .constant(.int(1)))
                try emit(.assignBit(bit: b, value: bit), at: location)
            }
        default:
            throw CompileError(.type, expression.location, "Expected a classical value to store in bits.")
        }
    }

    /// Names assigned anywhere inside `statements` (an over-approximation is fine).
    static func assignedNames(_ statements: [Statement], into names: inout Set<String>) {
        for statement in statements {
            switch statement.kind {
            case .assignment(let target, _, _):
                var root = target
                while case .index(let base, _) = root.kind { root = base }
                if case .identifier(let name) = root.kind { names.insert(name) }
            case .ifElse(_, let then, let otherwise):
                assignedNames(then, into: &names)
                assignedNames(otherwise ?? [], into: &names)
            case .forLoop(_, _, let body), .whileLoop(_, let body):
                assignedNames(body, into: &names)
            case .switchCase(_, let cases, let defaultBody):
                for c in cases { assignedNames(c.body, into: &names) }
                assignedNames(defaultBody ?? [], into: &names)
            case .block(let body):
                assignedNames(body, into: &names)
            default:
                break
            }
        }
    }

    /// Before a measurement-dependent region, moves the variables it assigns into runtime slots.
    mutating func materializeAssigned(in statements: [[Statement]], at location: SourceLocation) throws(CompileError) {
        var names = Set<String>()
        for body in statements { Lowerer.assignedNames(body, into: &names) }
        for name in names.sorted() {
            switch lookup(name) {
            case .variable(let index):
                try materialize(index, at: location)
            case .array(let arrayIndex):
                for element in arrays[arrayIndex].elements { try materialize(element, at: location) }
            default:
                break
            }
        }
    }

    private mutating func materialize(_ index: Int, at location: SourceLocation) throws(CompileError) {
        guard case .known(let v) = variables[index].storage, !variables[index].isConst else { return }
        let slot = try newSlot(initial: v, at: location)
        variables[index].storage = .slot(slot)
    }
}
