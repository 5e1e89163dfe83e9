extension Lowerer {
    /// Resolves index items to positions in 0..<count (negative indices count from the end).
    mutating func indexPositions(_ item: Expression.IndexItem, count: Int, name: String = "the register") throws(CompileError) -> (positions: [Int], isSingle: Bool) {
        func checked(_ raw: Int, _ location: SourceLocation) throws(CompileError) -> Int {
            let index = raw < 0 ? raw + count : raw
            guard index >= 0 && index < count else {
                throw CompileError(.indexOutOfRange, location,
                                   "Index \(raw) is out of range for \(name) of size \(count) (valid: 0 to \(count - 1)).")
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

    mutating func indexed(_ base: Value, _ items: [Expression.IndexItem], name: String, at location: SourceLocation) throws(CompileError) -> Value {
        switch base {
        case .qubits(let qubits, _):
            guard items.count == 1 else { throw CompileError(.type, location, "Qubit registers have one index.") }
            let (positions, single) = try indexPositions(items[0], count: qubits.count, name: name)
            return .qubits(positions.map { qubits[$0] }, isRegister: !single)
        case .bits(let bits, _):
            guard items.count == 1 else { throw CompileError(.type, location, "Bit registers have one index.") }
            let (positions, single) = try indexPositions(items[0], count: bits.count, name: name)
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
