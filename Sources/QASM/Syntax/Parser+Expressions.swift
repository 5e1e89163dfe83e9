extension Parser {
    /// Binary operators from loosest to tightest; `++` (register concatenation) is loosest.
    private static func precedence(_ op: String) -> Int? {
        switch op {
        case "++": return 0
        case "||": return 1
        case "&&": return 2
        case "|": return 3
        case "^": return 4
        case "&": return 5
        case "==", "!=": return 6
        case "<", "<=", ">", ">=": return 7
        case "<<", ">>": return 8
        case "+", "-": return 9
        case "*", "/", "%": return 10
        default: return nil
        }
    }

    mutating func parseExpressionList() throws(CompileError) -> [Expression] {
        var items: [Expression] = [try parseExpression()]
        while accept(",") { items.append(try parseExpression()) }
        return items
    }

    mutating func parseExpression() throws(CompileError) -> Expression {
        try enterNesting(current.location)
        defer { depth -= 1 }
        return try parseBinary(0)
    }

    private mutating func parseBinary(_ minimum: Int) throws(CompileError) -> Expression {
        var left = try parseUnary()
        // Each operator in a chain nests the tree one level deeper (later passes recurse over it).
        let entryDepth = depth
        defer { depth = entryDepth }
        while true {
            let op: String
            if case .symbol(let symbol) = current.kind, !(version == 2 && symbol == "^") {
                // Most expressions end at one of these: skip the operator table for them.
                if symbol == ";" || symbol == "," || symbol == "]" || symbol == ")" { break }
                op = symbol
            } else if current.isIdentifier("in") {
                op = "in"  // `i in {0, 3}`: set membership, at comparison level
            } else {
                break
            }
            guard let level = op == "in" ? 7 : Parser.precedence(op), level >= minimum else { break }
            let location = current.location
            try enterNesting(location)
            advance()
            let right = try parseBinary(level + 1)
            left = Expression(.binary(op, left, right), location)
        }
        return left
    }

    private mutating func parseUnary() throws(CompileError) -> Expression {
        if case .symbol(let op) = current.kind, op == "-" || op == "!" || op == "~" || op == "+" {
            let location = current.location
            advance()
            try enterNesting(location)
            defer { depth -= 1 }
            let operand = try parseUnary()
            return op == "+" ? operand : Expression(.unary(op, operand), location)
        }
        return try parsePower()
    }

    private mutating func parsePower() throws(CompileError) -> Expression {
        let base = try parsePostfix()
        if current.isSymbol("**") || (version == 2 && current.isSymbol("^")) {
            let location = current.location
            advance()
            try enterNesting(location)
            defer { depth -= 1 }
            let exponent = try parseUnary()
            return Expression(.binary("**", base, exponent), location)
        }
        return base
    }

    private mutating func parsePostfix() throws(CompileError) -> Expression {
        var expression = try parsePrimary()
        while current.isSymbol("[") {
            // An indexed operand is located at its name, so messages point at `q` in `q[0]`.
            let location = expression.location
            advance()
            var items: [Expression.IndexItem] = []
            repeat { items.append(try parseIndexItem()) } while accept(",")
            try expect("]", "to close the index")
            expression = Expression(.index(expression, items), location)
        }
        return expression
    }

    private mutating func parseIndexItem() throws(CompileError) -> Expression.IndexItem {
        if current.isSymbol("{") {
            let location = current.location
            guard case .braced(let items) = try parsePrimary().kind else {
                throw CompileError(.syntax, location, "Expected a set of indices.")
            }
            return .set(items)
        }
        let range = try parseRangeBody(current.location)
        if case .range(let start, let step, let end) = range.kind { return .range(start, step, end) }
        return .single(range)
    }

    /// `a`, `a:b`, `a:s:b`, `:`, `a:`, `:b` (inside brackets).
    mutating func parseRangeBody(_ location: SourceLocation) throws(CompileError) -> Expression {
        var parts: [Expression?] = []
        var current: Expression? = nil
        if !self.current.isSymbol(":") { current = try parseExpression() }
        if !self.current.isSymbol(":") {
            guard let single = current else {
                throw CompileError(.syntax, self.current.location, "Expected an index, found \(self.current.displayText).")
            }
            return single
        }
        parts.append(current)
        while accept(":") {
            if self.current.isSymbol(":") || self.current.isSymbol("]") || self.current.isSymbol(",") {
                parts.append(nil)
            } else {
                parts.append(try parseExpression())
            }
        }
        switch parts.count {
        case 2: return Expression(.range(parts[0], nil, parts[1]), location)
        case 3: return Expression(.range(parts[0], parts[1], parts[2]), location)
        default: throw CompileError(.syntax, location, "A range has the form start:end or start:step:end.")
        }
    }

    private mutating func parsePrimary() throws(CompileError) -> Expression {
        let token = current
        let location = token.location
        switch token.kind {
        case .integer(let value):
            advance()
            return Expression(.integer(value), location)
        case .float(let value):
            advance()
            return Expression(.float(value), location)
        case .imaginary(let value):
            advance()
            return Expression(.imaginary(value), location)
        case .duration(let value, let unit):
            advance()
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            default: scale = 0
            }
            return Expression(.duration(value * scale), location)
        case .string(let text):
            advance()
            let digits = text.filter { $0 != "_" }
            guard !digits.isEmpty, digits.allSatisfy({ $0 == "0" || $0 == "1" }) else {
                throw CompileError(.syntax, location, "Expected a bit string of 0s and 1s, found \"\(text)\".")
            }
            return Expression(.bitstring(digits), location)
        case .hardwareQubit(let number):
            advance()
            if number > (maxHardwareQubit?.index ?? -1) { maxHardwareQubit = (number, location) }
            return Expression(.hardwareQubit(number), location)
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            try expect(")", "to close the parenthesis")
            return inner
        case .symbol("{"):
            advance()
            var items: [Expression] = []
            if !current.isSymbol("}") {
                repeat {
                    if current.isSymbol("}") { break }
                    items.append(try parseExpression())
                } while accept(",")
            }
            try expect("}", "to close the braces")
            return Expression(.braced(items), location)
        case .identifier(let name):
            return try parseNamedPrimary(name, location)
        default:
            throw CompileError(.syntax, location, "Expected an expression, found \(token.displayText).")
        }
    }

    private mutating func parseNamedPrimary(_ name: String, _ location: SourceLocation) throws(CompileError) -> Expression {
        switch name {
        case "true", "false":
            advance()
            return Expression(.boolean(name == "true"), location)
        case "measure":
            advance()
            return Expression(.measure(try parseExpression()), location)
        case "durationof":
            advance()
            try expect("(", "after durationof")
            if current.isSymbol("{") { try skipBraces() } else { _ = try parseExpression() }
            try expect(")", "to close durationof")
            return Expression(.durationOf, location)
        case "bit", "int", "uint", "float", "angle", "bool", "duration", "complex":
            let type = try parseType()
            try expect("(", "for a cast to \(name)")
            let value = try parseExpression()
            try expect(")", "to close the cast")
            return Expression(.cast(type, value), location)
        default:
            if Parser.reservedWords.contains(name) {
                throw CompileError(.syntax, location, "Expected an expression, found the keyword '\(name)'.")
            }
            advance()
            if accept("(") {
                var arguments: [Expression] = []
                if !current.isSymbol(")") { arguments = try parseExpressionList() }
                try expect(")", "to close the arguments of '\(name)'")
                return Expression(.call(name, arguments), location)
            }
            return Expression(.identifier(name), location)
        }
    }

    /// `int`, `int[8]`, `float[64]`, `bit[n]`, `complex[float[64]]`, `array[int[32], 2, 3]`, `qubit[2]`.
    mutating func parseType() throws(CompileError) -> TypeSpec {
        let location = current.location
        guard let word = current.identifier, let base = TypeSpec.Base(rawValue: word) else {
            throw CompileError(.syntax, location, "Expected a type, found \(current.displayText).")
        }
        advance()
        var type = TypeSpec(base: base, width: nil, location: location)
        guard accept("[") else {
            if base == .array {
                throw CompileError(.syntax, current.location, "Expected '[' after array.")
            }
            return type
        }
        switch base {
        case .array:
            type.element = [try parseType()]
            while accept(",") {
                if current.isIdentifier("#dim") {
                    // `#dim = n` in a subroutine parameter: the array is passed whole, whatever its sizes.
                    advance()
                    try expect("=", "after #dim")
                    _ = try parseExpression()
                    break
                }
                type.dimensions.append(try parseExpression())
            }
        case .complex:
            type.element = [try parseType()]
        default:
            type.width = try parseExpression()
        }
        try expect("]", "to close the type")
        return type
    }
}
