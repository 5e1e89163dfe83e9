extension Lowerer {
    mutating func declareQubits(_ name: String, size: Expression?, at location: SourceLocation) throws(CompileError) {
        guard isGlobalScope else {
            throw CompileError(.syntax, location, "Qubits can only be declared at global scope.")
        }
        guard !usesHardwareQubits else {
            throw CompileError(.unsupported, location, "A program that uses hardware qubits ($n) cannot also declare qubits.")
        }
        let count = try size.map { e throws(CompileError) in try constantInt(e, "A register size") } ?? 1
        guard count >= 1 else {
            throw CompileError(.type, size?.location ?? location, "A qubit register needs at least one qubit.")
        }
        guard count <= options.maxQubits && qubitCount + count <= options.maxQubits else {
            throw CompileError(.limit, location, "The program declares more than \(options.maxQubits) qubits.")
        }
        let qubits = Array(qubitCount..<(qubitCount + count))
        qubitCount += count
        try declare(name, .qubits(qubits, isRegister: size != nil), at: location)
    }

    mutating func classicalType(_ type: TypeSpec) throws(CompileError) -> ClassicalType {
        var width: Int?
        if let w = type.width {
            let value = try constantInt(w, "A type width")
            guard value >= 1 && value <= 4096 else {
                throw CompileError(.type, w.location, "A type width must be between 1 and 4096, got \(value).")
            }
            width = value
        }
        switch type.base {
        case .int: return ClassicalType(cast: .init(kind: .int, width: width), name: "int")
        case .uint: return ClassicalType(cast: .init(kind: .uint, width: width), name: "uint")
        case .float: return ClassicalType(cast: .init(kind: .float, width: width), name: "float")
        case .angle: return ClassicalType(cast: .init(kind: .angle, width: width), name: "angle")
        case .bool: return .bool
        case .bit: return ClassicalType(cast: .init(kind: .bit, width: width), name: "bit")
        case .duration, .stretch: return ClassicalType(cast: .init(kind: .float), name: type.base.rawValue)
        case .complex:
            // Components are always float[64] here; `complex[float[32]]` is accepted and computed in double.
            if let component = type.element.first, component.base != .float {
                throw CompileError(.type, component.location, "A complex type has float components: complex[float[64]].")
            }
            return .complex
        case .qubit:
            throw CompileError(.type, type.location, "Qubits are not classical values.")
        case .array:
            throw CompileError(.type, type.location, "Arrays need an element type and sizes: array[int[32], 4].")
        }
    }

    mutating func declareClassical(_ declaration: ClassicalDeclaration, at location: SourceLocation) throws(CompileError) {
        if declaration.io == .input {
            // Declare a stand-in so later uses of the name do not add "not declared" errors.
            try? declare(declaration.name, .constant(.float(0)), at: location)
            throw CompileError(.unsupported, location,
                               "Input parameter '\(declaration.name)' has no value: programs run without inputs, so declare it as a constant instead.")
        }
        if declaration.type.base == .array {
            try declareArray(declaration, at: location)
            return
        }
        if declaration.type.base == .bit {
            try declareBits(declaration, at: location)
            return
        }
        let type = try classicalType(declaration.type)
        var initial: Value = .known(Lowerer.zero(of: type))
        if let initializer = declaration.initializer {
            if case .measure = initializer.kind {
                throw CompileError(.type, initializer.location, "A measurement result is a bit; declare '\(declaration.name)' as bit.")
            }
            initial = try cast(try classical(try value(initializer), at: initializer.location), to: type, at: initializer.location)
        }
        if declaration.isConst, case .runtime = initial {
            throw CompileError(.type, declaration.initializer?.location ?? location,
                               "Constant '\(declaration.name)' must have a value known at compile time.")
        }
        let storage: Storage
        switch initial {
        case .known(let v): storage = .known(v)
        default:
            let slot = slotCount
            slotCount += 1
            try emit(.assign(variable: slot, value: runtimeExpression(initial)), at: location)
            storage = .slot(slot)
        }
        variables.append(Variable(name: declaration.name, type: type, storage: storage, isConst: declaration.isConst, depth: dynamicDepth))
        try declare(declaration.name, .variable(variables.count - 1), at: location)
    }

    /// Applies a declared type to a value (folded when known).
    func cast(_ value: Value, to type: ClassicalType, at location: SourceLocation) throws(CompileError) -> Value {
        switch value {
        case .known(let v):
            do throws(ClassicalEvaluationError) {
                return .known(try ClassicalArithmetic.cast(v, to: type.cast))
            } catch {
                throw CompileError(.type, location, error.message)
            }
        case .runtime(let e):
            try Lowerer.requireReal(e, type.cast.kind, at: location)
            return .runtime(.cast(type.cast, e))
        default: throw CompileError(.type, location, "Expected a classical value for type \(type.name).")
        }
    }

    private mutating func declareBits(_ declaration: ClassicalDeclaration, at location: SourceLocation) throws(CompileError) {
        let size = try declaration.type.width.map { e throws(CompileError) in try constantInt(e, "A register size") } ?? 1
        guard size >= 1 && size <= 4096 else {
            throw CompileError(.type, declaration.type.width?.location ?? location, "A bit register size must be between 1 and 4096.")
        }
        if declaration.isConst {
            throw CompileError(.unsupported, location, "Constant bit registers are not supported; use a const int or uint.")
        }
        if localBits[location] == nil && bitCount + size > options.maxClassicalBits {
            throw CompileError(
                .limit, location,
                "The program declares \(bitCount + size) classical bits, more than the limit of \(options.maxClassicalBits); "
                    + "declare fewer or smaller bit registers."
            )
        }
        let bits: [Int]
        if isGlobalScope {
            bits = Array(bitCount..<(bitCount + size))
            registers.append(ClassicalRegister(name: declaration.name, offset: bitCount, size: size))
            bitCount += size
        } else if let existing = localBits[location] {
            // A block-local declaration reuses its bits each time the block runs, starting from zero again.
            bits = existing
            for b in bits { try emit(.assignBit(bit: b, value: .constant(.bool(false))), at: location) }
        } else {
            bits = Array(bitCount..<(bitCount + size))
            registers.append(ClassicalRegister(name: declaration.name, offset: bitCount, size: size))
            bitCount += size
            localBits[location] = bits
        }
        try declare(declaration.name, .bits(bits, isRegister: declaration.type.width != nil), at: location)
        if let initializer = declaration.initializer {
            try assignBits(bits, from: initializer, at: location)
        }
    }

    private mutating func declareArray(_ declaration: ClassicalDeclaration, at location: SourceLocation) throws(CompileError) {
        guard let elementSpec = declaration.type.element.first, !declaration.type.dimensions.isEmpty else {
            throw CompileError(.syntax, location, "Arrays need an element type and sizes: array[int[32], 4].")
        }
        let elementType = try classicalType(elementSpec)
        var shape: [Int] = []
        var total = 1
        for d in declaration.type.dimensions {
            let size = try constantInt(d, "An array size")
            guard size >= 1 && size <= 1 << 20 else { throw CompileError(.type, d.location, "Array sizes must be between 1 and 1048576.") }
            let (t, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow && t <= 1 << 20 else { throw CompileError(.limit, d.location, "The array is too large.") }
            total = t
            shape.append(size)
        }
        // Each element is a variable: a loop declaring large arrays must run into the work limit, not memory.
        try spendWork(total, at: location)
        var values = [Value](repeating: .known(Lowerer.zero(of: elementType)), count: total)
        if let initializer = declaration.initializer {
            var flat: [Value] = []
            if case .braced = initializer.kind {
                try flattenArrayLiteral(initializer, shape: shape[...], into: &flat)
            } else {
                // A copy of another array or slice of the same shape.
                guard case .array(let source, let offset, let sourceShape) = try value(initializer) else {
                    throw CompileError(.type, initializer.location, "Expected an array literal {…} or an array of shape \(shape).")
                }
                guard sourceShape == shape else {
                    throw CompileError(.type, initializer.location, "Cannot initialise an array of shape \(shape) from one of shape \(sourceShape).")
                }
                flat = elementVariables(source, offset: offset, shape: sourceShape).map { read(variables[$0]) }
            }
            values = []
            for v in flat { values.append(try cast(v, to: elementType, at: initializer.location)) }
        }
        var elements: [Int] = []
        for v in values {
            let storage: Storage
            switch v {
            case .known(let k): storage = .known(k)
            default:
                let slot = slotCount
                slotCount += 1
                try emit(.assign(variable: slot, value: runtimeExpression(v)), at: location)
                storage = .slot(slot)
            }
            variables.append(Variable(name: declaration.name, type: elementType, storage: storage, isConst: declaration.isConst, depth: dynamicDepth))
            elements.append(variables.count - 1)
        }
        arrays.append(ClassicalArray(name: declaration.name, shape: shape, elements: elements))
        try declare(declaration.name, .array(arrays.count - 1), at: location)
    }

    mutating func flattenArrayLiteral(_ expression: Expression, shape: ArraySlice<Int>, into flat: inout [Value]) throws(CompileError) {
        guard let size = shape.first else {
            flat.append(try classical(try value(expression), at: expression.location))
            return
        }
        guard case .braced(let items) = expression.kind else {
            throw CompileError(.type, expression.location, "Expected an array literal {…} with \(size) elements.")
        }
        guard items.count == size else {
            throw CompileError(.type, expression.location, "Expected \(size) elements in the array literal, found \(items.count).")
        }
        for item in items { try flattenArrayLiteral(item, shape: shape.dropFirst(), into: &flat) }
    }

    static func zero(of type: ClassicalType) -> ClassicalValue {
        switch type.cast.kind {
        case .float, .angle: return .float(0)
        case .complex: return .complex(.zero)
        case .bool, .bit: return .bool(false)
        case .int, .uint: return .int(0)
        }
    }
}
