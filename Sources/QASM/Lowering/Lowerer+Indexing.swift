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
        case .array(let index, let offset, let shape):
            let view = try arrayView(index, offset: offset, shape: shape, items, at: location)
            if view.shape.isEmpty { return read(variables[arrays[view.index].elements[view.offset]]) }
            return .array(view.index, offset: view.offset, shape: view.shape)
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
            guard items.count == 1, case .single(let ie) = items[0], !Lowerer.isComplex(e) else {
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

extension Lowerer {
    struct ArrayView {
        var index: Int
        var offset: Int
        /// Empty when the view is a single element (`arrays[index].elements[offset]`).
        var shape: [Int]
    }

    /// Applies index items to an array: single indices narrow the view in place; any range or set makes a slice.
    mutating func arrayView(_ index: Int, offset: Int, shape: [Int], _ items: [Expression.IndexItem], at location: SourceLocation) throws(CompileError) -> ArrayView {
        if !items.allSatisfy(\.isSingle) {
            guard case .array(let alias, _, let keptShape) = try arraySlice(index, offset: offset, shape: shape, items, at: location) else {
                return ArrayView(index: index, offset: offset, shape: shape)
            }
            return ArrayView(index: alias, offset: 0, shape: keptShape)
        }
        var view = ArrayView(index: index, offset: offset, shape: shape)
        for case .single(let e) in items {
            guard let dimension = view.shape.first else {
                throw CompileError(.type, location, "Too many indices for array '\(arrays[index].name)'.")
            }
            let position = try constantInt(e, "An array index")
            let actual = position < 0 ? position + dimension : position
            guard actual >= 0 && actual < dimension else {
                throw CompileError(.indexOutOfRange, e.location, "Index \(position) is out of range for a dimension of size \(dimension).")
            }
            view.shape.removeFirst()
            view.offset += actual * view.shape.reduce(1, *)
        }
        return view
    }

    /// The array element or sub-array an assignment target names (`a`, `a[1]`, `a[1][0:2]`, `a[0, 1]`), or nil.
    mutating func arrayTarget(_ expression: Expression) throws(CompileError) -> ArrayView? {
        switch expression.kind {
        case .identifier(let name):
            guard case .array(let index)? = lookup(name) else { return nil }
            return ArrayView(index: index, offset: 0, shape: arrays[index].shape)
        case .index(let base, let items):
            guard let view = try arrayTarget(base) else { return nil }
            guard !view.shape.isEmpty else {
                throw CompileError(.type, expression.location, "Too many indices for array '\(arrays[view.index].name)'.")
            }
            return try arrayView(view.index, offset: view.offset, shape: view.shape, items, at: expression.location)
        default:
            return nil
        }
    }

    /// Most elements one slice may select (the largest array allowed).
    static let maxSliceElements = 1 << 20

    /// `a[1:3]`, `a[::-1]`, `a[1, 0:2]`, `a[{0, 2}]`: a new array whose elements are the selected element
    /// variables of `a` (an alias, like a register slice): reading it reads `a`, assigning into it assigns `a`.
    mutating func arraySlice(_ index: Int, offset: Int, shape: [Int], _ items: [Expression.IndexItem], at location: SourceLocation) throws(CompileError) -> Value {
        let name = "array '\(arrays[index].name)'"
        guard items.count <= shape.count else {
            throw CompileError(.type, location, "Too many indices for \(name).")
        }
        var selections: [[Int]] = []
        var keptShape: [Int] = []
        var total = 1
        for (dimension, size) in shape.enumerated() {
            var positions = Array(0..<size)
            var isSingle = false
            if dimension < items.count {
                (positions, isSingle) = try indexPositions(items[dimension], count: size, name: name)
            }
            if !isSingle { keptShape.append(positions.count) }
            let (product, overflow) = total.multipliedReportingOverflow(by: positions.count)
            guard !overflow && product <= Lowerer.maxSliceElements else {
                throw CompileError(.limit, location, "The slice selects more than \(Lowerer.maxSliceElements) elements.")
            }
            total = product
            selections.append(positions)
        }
        guard total > 0 else { throw CompileError(.type, location, "The slice of \(name) selects no elements.") }
        try spendWork(total, at: location)
        var strides = [Int](repeating: 1, count: shape.count)
        for dimension in shape.indices.dropLast().reversed() { strides[dimension] = strides[dimension + 1] * shape[dimension + 1] }
        // Row-major walk over the selected positions (an odometer, last dimension fastest).
        var elements: [Int] = []
        elements.reserveCapacity(total)
        var counters = [Int](repeating: 0, count: shape.count)
        for _ in 0..<total {
            var flat = offset
            for dimension in shape.indices { flat += selections[dimension][counters[dimension]] * strides[dimension] }
            elements.append(arrays[index].elements[flat])
            var dimension = shape.count - 1
            while dimension >= 0 {
                counters[dimension] += 1
                if counters[dimension] < selections[dimension].count { break }
                counters[dimension] = 0
                dimension -= 1
            }
        }
        return aliasArray(named: arrays[index].name, shape: keptShape, elements: elements)
    }

    /// A whole-array view (offset 0) of any array value; sub-arrays like `a[1]` of a 2-D array get an alias.
    mutating func wholeArray(_ index: Int, offset: Int, shape: [Int], at location: SourceLocation) throws(CompileError) -> Int {
        if offset == 0 && shape == arrays[index].shape { return index }
        let count = shape.reduce(1, *)
        try spendWork(count, at: location)
        guard case .array(let alias, _, _) = aliasArray(
            named: arrays[index].name, shape: shape, elements: Array(arrays[index].elements[offset..<(offset + count)])) else { return index }
        return alias
    }

    private mutating func aliasArray(named name: String, shape: [Int], elements: [Int]) -> Value {
        arrays.append(ClassicalArray(name: name, shape: shape, elements: elements))
        return .array(arrays.count - 1, offset: 0, shape: shape)
    }

    /// The element variables of an array value, row-major.
    func elementVariables(_ index: Int, offset: Int, shape: [Int]) -> ArraySlice<Int> {
        arrays[index].elements[offset..<(offset + shape.reduce(1, *))]
    }
}
