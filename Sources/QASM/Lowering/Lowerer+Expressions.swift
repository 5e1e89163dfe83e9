extension Lowerer {
    static let binaryOperators: [String: ClassicalExpression.BinaryOperator] = [
        "+": .add, "-": .subtract, "*": .multiply, "/": .divide, "%": .modulo, "**": .power,
        "&": .bitAnd, "|": .bitOr, "^": .bitXor, "<<": .shiftLeft, ">>": .shiftRight,
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual,
        "&&": .logicalAnd, "||": .logicalOr,
    ]

    mutating func value(_ expression: Expression) throws(CompileError) -> Value {
        let location = expression.location
        switch expression.kind {
        case .integer(let v): return .known(.int(v))
        case .float(let v): return .known(.float(v))
        case .boolean(let v): return .known(.bool(v))
        case .duration(let v): return .known(.float(v))
        case .durationOf: return .known(.float(0))
        case .bitstring(let digits):
            guard digits.count <= 63 else {
                throw CompileError(.unsupported, location, "Bit strings longer than 63 bits are not supported.")
            }
            var v = 0
            for character in digits { v = v << 1 | (character == "1" ? 1 : 0) }
            return .known(.int(v))
        case .imaginary:
            throw CompileError(.unsupported, location, "Complex numbers are not supported.")
        case .hardwareQubit(let n):
            guard !inGateBody else {
                throw CompileError(.type, location, "Gate bodies can only use their own qubit arguments, not '$\(n)'.")
            }
            return .qubits([n], isRegister: false)
        case .identifier(let name):
            return try resolve(name, at: location)
        case .unary(let op, let operand):
            let inner = try value(operand)
            let unaryOperator: ClassicalExpression.UnaryOperator = op == "-" ? .negate : (op == "!" ? .logicalNot : .bitwiseNot)
            switch try classical(inner, at: operand.location) {
            case .known(let v):
                do throws(ClassicalEvaluationError) {
                    return .known(try ClassicalArithmetic.unary(unaryOperator, v))
                } catch {
                    throw CompileError(.type, location, error.message)
                }
            case .runtime(let e): return .runtime(.unary(unaryOperator, e))
            default: throw CompileError(.type, location, "Operator '\(op)' needs a classical value.")
            }
        case .binary("++", let left, let right):
            return try concatenate(left, right)
        case .binary(let op, let left, let right):
            guard let binaryOperator = Lowerer.binaryOperators[op] else {
                throw CompileError(.syntax, location, "Unknown operator '\(op)'.")
            }
            let lhs = try classical(try value(left), at: left.location)
            let rhs = try classical(try value(right), at: right.location)
            switch (lhs, rhs) {
            case (.known(.int(let a)), .known(.int(let b))) where realDivision && binaryOperator == .divide && b != 0:
                return .known(.float(Double(a) / Double(b)))
            case (.known(let a), .known(let b)):
                do throws(ClassicalEvaluationError) {
                    return .known(try ClassicalArithmetic.binary(binaryOperator, a, b))
                } catch {
                    throw CompileError(.type, location, error.message)
                }
            default:
                return .runtime(.binary(binaryOperator, runtimeExpression(lhs), runtimeExpression(rhs)))
            }
        case .index(let base, let items):
            return try indexed(try value(base), items, at: location)
        case .call(let name, let arguments):
            return try call(name, arguments, at: location)
        case .cast(let type, let operand):
            let target = try classicalType(type).cast
            switch try classical(try value(operand), at: operand.location) {
            case .known(let v):
                do throws(ClassicalEvaluationError) {
                    return .known(try ClassicalArithmetic.cast(v, to: target))
                } catch {
                    throw CompileError(.type, location, error.message)
                }
            case .runtime(let e): return .runtime(.cast(target, e))
            default: throw CompileError(.type, location, "Only classical values can be cast.")
            }
        case .measure:
            throw CompileError(.unsupported, location, "'measure' can only be used as a statement or assigned to bits.")
        case .braced:
            throw CompileError(.type, location, "A set or array literal cannot be used here.")
        case .range:
            throw CompileError(.type, location, "A range cannot be used here.")
        }
    }

    /// Converts bits to runtime expressions; leaves qubits/arrays as they are for the caller to reject.
    func classical(_ value: Value, at location: SourceLocation) throws(CompileError) -> Value {
        switch value {
        case .known, .runtime: return value
        case .bits(let indices, let isRegister):
            return .runtime(isRegister ? .bits(indices) : .bit(indices[0]))
        case .qubits:
            throw CompileError(.type, location, "A qubit cannot be used as a classical value.")
        case .array:
            throw CompileError(.type, location, "An array cannot be used as a single classical value.")
        }
    }

    func runtimeExpression(_ value: Value) -> ClassicalExpression {
        switch value {
        case .known(let v): return .constant(v)
        case .runtime(let e): return e
        case .bits(let indices, let isRegister): return isRegister ? .bits(indices) : .bit(indices[0])
        default: return .constant(.int(0))
        }
    }

    mutating func resolve(_ name: String, at location: SourceLocation) throws(CompileError) -> Value {
        guard let symbol = lookup(name) else {
            if let constant = Lowerer.builtinConstants[name] { return .known(.float(constant)) }
            if inGateBody, scopes[0].symbols[name] != nil {
                throw CompileError(.undefinedName, location,
                                   "'\(name)' is not visible inside a gate body; pass it as a parameter or qubit argument.")
            }
            throw CompileError(.undefinedName, location, "'\(name)' is not declared.")
        }
        switch symbol {
        case .qubits(let q, let isRegister): return .qubits(q, isRegister: isRegister)
        case .bits(let b, let isRegister): return .bits(b, isRegister: isRegister)
        case .constant(let v): return .known(v)
        case .variable(let index):
            switch variables[index].storage {
            case .known(let v): return .known(v)
            case .slot(let slot): return .runtime(.variable(slot))
            }
        case .array(let index): return .array(index, offset: 0, shape: arrays[index].shape)
        case .subroutine:
            throw CompileError(.type, location, "Subroutine '\(name)' must be called with parentheses.")
        }
    }

    /// A value that must be known at compile time (sizes, indices, gate parameters...).
    mutating func constant(_ expression: Expression, _ what: String) throws(CompileError) -> ClassicalValue {
        switch try classical(try value(expression), at: expression.location) {
        case .known(let v): return v
        default:
            throw CompileError(.type, expression.location,
                               "\(what) must be known at compile time, but it depends on a measurement or runtime value.")
        }
    }

    mutating func constantInt(_ expression: Expression, _ what: String) throws(CompileError) -> Int {
        let saved = realDivision
        realDivision = false
        defer { realDivision = saved }
        let v = try constant(expression, what)
        do throws(ClassicalEvaluationError) {
            return try v.asInt(what)
        } catch {
            throw CompileError(.type, expression.location, "\(what) must be an integer.")
        }
    }

    /// A real-valued compile-time constant (gate parameters, pow exponents): integer division is real here.
    mutating func constantDouble(_ expression: Expression, _ what: String) throws(CompileError) -> Double {
        let saved = realDivision
        realDivision = true
        defer { realDivision = saved }
        let v = try constant(expression, what).asDouble
        guard v.isFinite else {
            throw CompileError(.type, expression.location, "\(what) is not a finite number.")
        }
        return v
    }

    /// Qubit operands: a single qubit or a register / slice (which broadcasts).
    mutating func qubitOperand(_ expression: Expression) throws(CompileError) -> (qubits: [Int], isRegister: Bool) {
        if case .identifier(let name) = expression.kind, lookup(name) == nil, Lowerer.builtinConstants[name] == nil {
            throw CompileError(.undefinedName, expression.location, "Qubit register '\(name)' is not declared.")
        }
        guard case .qubits(let qubits, let isRegister) = try value(expression) else {
            throw CompileError(.type, expression.location, "Expected a qubit or qubit register here.")
        }
        return (qubits, isRegister)
    }

    mutating func bitOperand(_ expression: Expression) throws(CompileError) -> (bits: [Int], isRegister: Bool) {
        if case .identifier(let name) = expression.kind, lookup(name) == nil {
            throw CompileError(.undefinedName, expression.location, "Bit register '\(name)' is not declared.")
        }
        guard case .bits(let bits, let isRegister) = try value(expression) else {
            throw CompileError(.type, expression.location, "Expected a bit or bit register here.")
        }
        return (bits, isRegister)
    }

    private mutating func concatenate(_ left: Expression, _ right: Expression) throws(CompileError) -> Value {
        let lhs = try value(left), rhs = try value(right)
        switch (lhs, rhs) {
        case (.qubits(let a, _), .qubits(let b, _)):
            let combined = a + b
            guard Set(combined).count == combined.count else {
                throw CompileError(.type, right.location, "Concatenated registers must not share qubits.")
            }
            return .qubits(combined, isRegister: true)
        case (.bits(let a, _), .bits(let b, _)):
            return .bits(a + b, isRegister: true)
        default:
            throw CompileError(.type, left.location, "'++' joins two qubit registers or two bit registers.")
        }
    }

    // MARK: Indexing

    /// Resolves index items to positions in 0..<count (negative indices count from the end).
    mutating func indexPositions(_ item: Expression.IndexItem, count: Int) throws(CompileError) -> (positions: [Int], isSingle: Bool) {
        func checked(_ raw: Int, _ location: SourceLocation) throws(CompileError) -> Int {
            let index = raw < 0 ? raw + count : raw
            guard index >= 0 && index < count else {
                throw CompileError(.indexOutOfRange, location,
                                   "Index \(raw) is out of range for a register of size \(count).")
            }
            return index
        }
        switch item {
        case .single(let e):
            return ([try checked(try constantInt(e, "An index"), e.location)], true)
        case .set(let items):
            var positions: [Int] = []
            for e in items { positions.append(try checked(try constantInt(e, "An index"), e.location)) }
            return (positions, false)
        case .range(let startExpression, let stepExpression, let endExpression):
            let step = try stepExpression.map { e throws(CompileError) in try constantInt(e, "A range step") } ?? 1
            let location = startExpression?.location ?? endExpression?.location ?? SourceLocation(line: 1, column: 1)
            guard step != 0 else { throw CompileError(.type, location, "A range step cannot be zero.") }
            let start = try startExpression.map { e throws(CompileError) in try checked(try constantInt(e, "A range start"), e.location) }
                ?? (step > 0 ? 0 : count - 1)
            let end = try endExpression.map { e throws(CompileError) in try checked(try constantInt(e, "A range end"), e.location) }
                ?? (step > 0 ? count - 1 : 0)
            var positions: [Int] = []
            var i = start
            while step > 0 ? i <= end : i >= end {
                positions.append(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
            return (positions, false)
        }
    }

    private mutating func indexed(_ base: Value, _ items: [Expression.IndexItem], at location: SourceLocation) throws(CompileError) -> Value {
        switch base {
        case .qubits(let qubits, _):
            guard items.count == 1 else { throw CompileError(.type, location, "Qubit registers have one index.") }
            let (positions, single) = try indexPositions(items[0], count: qubits.count)
            return .qubits(positions.map { qubits[$0] }, isRegister: !single)
        case .bits(let bits, _):
            guard items.count == 1 else { throw CompileError(.type, location, "Bit registers have one index.") }
            let (positions, single) = try indexPositions(items[0], count: bits.count)
            return .bits(positions.map { bits[$0] }, isRegister: !single)
        case .array(let index, var offset, var shape):
            for item in items {
                guard let dimension = shape.first else {
                    throw CompileError(.type, location, "Too many indices for array '\(arrays[index].name)'.")
                }
                guard case .single(let e) = item else {
                    throw CompileError(.unsupported, location, "Array slices are not supported; index one element.")
                }
                let position = try constantInt(e, "An array index")
                let actual = position < 0 ? position + dimension : position
                guard actual >= 0 && actual < dimension else {
                    throw CompileError(.indexOutOfRange, e.location, "Index \(position) is out of range for a dimension of size \(dimension).")
                }
                shape.removeFirst()
                offset = offset + actual * shape.reduce(1, *)
            }
            if shape.isEmpty {
                let variable = variables[arrays[index].elements[offset]]
                switch variable.storage {
                case .known(let v): return .known(v)
                case .slot(let slot): return .runtime(.variable(slot))
                }
            }
            return .array(index, offset: offset, shape: shape)
        case .known(let v):
            // Bit of an integer: x[i].
            guard items.count == 1, case .single(let e) = items[0] else {
                throw CompileError(.type, location, "Only single bits of an integer can be indexed.")
            }
            let position = try constantInt(e, "A bit index")
            guard position >= 0 && position < 64 else {
                throw CompileError(.indexOutOfRange, e.location, "Bit index \(position) is out of range.")
            }
            do throws(ClassicalEvaluationError) {
                return .known(.bool((try v.asInt("Bit indexing") >> position) & 1 == 1))
            } catch {
                throw CompileError(.type, location, error.message)
            }
        case .runtime(let e):
            guard items.count == 1, case .single(let ie) = items[0] else {
                throw CompileError(.type, location, "Only single bits of an integer can be indexed.")
            }
            let position = try constantInt(ie, "A bit index")
            guard position >= 0 && position < 64 else {
                throw CompileError(.indexOutOfRange, ie.location, "Bit index \(position) is out of range.")
            }
            return .runtime(.binary(.notEqual, .binary(.bitAnd, .binary(.shiftRight, e, .constant(.int(position))), .constant(.int(1))), .constant(.int(0))))
        }
    }
}
