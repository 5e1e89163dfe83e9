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
        case .imaginary(let v): return .known(.complex(Complex(0, v)))
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
            case .runtime(let e):
                if unaryOperator == .bitwiseNot && Lowerer.isComplex(e) {
                    throw CompileError(.type, location, "'~' needs an integer or bit operand, not a complex number.")
                }
                return .runtime(.unary(unaryOperator, e))
            default: throw CompileError(.type, location, "Operator '\(op)' needs a classical value.")
            }
        case .binary("++", let left, let right):
            return try concatenate(left, right)
        case .binary("in", let left, let right):
            return try membership(left, right)
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
                if !Lowerer.complexOperators.contains(binaryOperator),
                   Lowerer.isComplex(runtimeExpression(lhs)) || Lowerer.isComplex(runtimeExpression(rhs)) {
                    throw CompileError(.type, location, "'\(op)' is not defined for complex numbers.")
                }
                var left = runtimeExpression(lhs)
                // Gate parameters divide as reals even when both operands are integers at run time.
                if realDivision && binaryOperator == .divide { left = .cast(.init(kind: .float), left) }
                return .runtime(.binary(binaryOperator, left, runtimeExpression(rhs)))
            }
        case .index(let base, let items):
            var name = "the register"
            if case .identifier(let baseName) = base.kind { name = "'\(baseName)'" }
            return try indexed(try value(base), items, name: name, at: location)
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
            case .runtime(let e):
                try Lowerer.requireReal(e, target.kind, at: location)
                return .runtime(.cast(target, e))
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
            return .runtime(isRegister || indices.count != 1 ? .bits(indices) : .bit(indices[0]))
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
        case .bits(let indices, let isRegister): return isRegister || indices.count != 1 ? .bits(indices) : .bit(indices[0])
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
            return read(variables[index])
        case .array(let index): return .array(index, offset: 0, shape: arrays[index].shape)
        case .subroutine:
            throw CompileError(.type, location, "Subroutine '\(name)' must be called with parentheses.")
        }
    }

    /// A variable's current value. A run-time complex one is wrapped in a cast to complex, so its type can be
    /// seen in the expression (gate angles and real-only operators reject it at compile time).
    func read(_ variable: Variable) -> Value {
        switch variable.storage {
        case .known(let v): return .known(v)
        case .slot(let slot) where variable.type.cast.kind == .complex: return .runtime(.cast(variable.type.cast, .variable(slot)))
        case .slot(let slot): return .runtime(.variable(slot))
        }
    }

    /// Operators that accept complex operands.
    static let complexOperators: Set<ClassicalExpression.BinaryOperator> = [
        .add, .subtract, .multiply, .divide, .power, .equal, .notEqual, .logicalAnd, .logicalOr,
    ]

    /// Whether a run-time expression has a complex value (its static type).
    static func isComplex(_ expression: ClassicalExpression) -> Bool {
        switch expression {
        case .constant(let v): return v.isComplex
        case .bit, .bits, .variable: return false
        case .cast(let target, _): return target.kind == .complex
        case .unary(let op, let e): return op == .negate && isComplex(e)
        case .binary(let op, let a, let b):
            return [.add, .subtract, .multiply, .divide, .power].contains(op) && (isComplex(a) || isComplex(b))
        case .call(let name, let arguments):
            return (name == "exp" || name == "sqrt") && arguments.contains(where: isComplex)
        }
    }

    /// Complex values convert only to complex: a real needs `real()` or `imag()`.
    static func requireReal(_ expression: ClassicalExpression, _ target: ClassicalExpression.CastTarget.Kind, at location: SourceLocation) throws(CompileError) {
        guard target != .complex, isComplex(expression) else { return }
        throw CompileError(.type, location, "A complex value cannot be converted to \(target.rawValue); use real() or imag().")
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
    /// The name at the root of `a`, `a[1]`, `a[1][2]` (for messages).
    static func rootIdentifier(_ expression: Expression) -> (String, SourceLocation)? {
        var root = expression
        while case .index(let base, _) = root.kind { root = base }
        if case .identifier(let name) = root.kind { return (name, root.location) }
        return nil
    }

    mutating func qubitOperand(_ expression: Expression) throws(CompileError) -> (qubits: [Int], isRegister: Bool) {
        if let (name, location) = Lowerer.rootIdentifier(expression), lookup(name) == nil, Lowerer.builtinConstants[name] == nil {
            throw CompileError(.undefinedName, location, "Qubit register '\(name)' is not declared.")
        }
        guard case .qubits(let qubits, let isRegister) = try value(expression) else {
            throw CompileError(.type, expression.location, "Expected a qubit or qubit register here.")
        }
        return (qubits, isRegister)
    }

    mutating func bitOperand(_ expression: Expression) throws(CompileError) -> (bits: [Int], isRegister: Bool) {
        if let (name, location) = Lowerer.rootIdentifier(expression), lookup(name) == nil {
            throw CompileError(.undefinedName, location, "Bit register '\(name)' is not declared.")
        }
        guard case .bits(let bits, let isRegister) = try value(expression) else {
            throw CompileError(.type, expression.location, "Expected a bit or bit register here.")
        }
        return (bits, isRegister)
    }

    /// `value in {a, b, ...}`.
    private mutating func membership(_ left: Expression, _ right: Expression) throws(CompileError) -> Value {
        guard case .braced(let items) = right.kind else {
            throw CompileError(.type, right.location, "'in' tests membership in a set such as {0, 3}.")
        }
        let subject = try classical(try value(left), at: left.location)
        var members: [ClassicalValue] = []
        for item in items { members.append(try constant(item, "A set element")) }
        if case .known(let v) = subject {
            return .known(.bool(members.contains { $0 == v || (try? ClassicalArithmetic.binary(.equal, $0, v))?.isTruthy == true }))
        }
        let expression = runtimeExpression(subject)
        return .runtime(Lowerer.balancedOr(members.map { .binary(.equal, expression, .constant($0)) }[...]))
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
}
