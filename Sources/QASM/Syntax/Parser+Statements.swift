extension Parser {
    /// Parses one statement; returns nil for things that produce nothing (empty `;`, annotations).
    mutating func parseStatement() throws(CompileError) -> Statement? {
        let token = current
        let location = token.location
        switch token.kind {
        case .pragma:
            advance()
            return Statement(.ignored, location)
        case .symbol(";"):
            advance()
            return nil
        case .symbol("{"):
            return Statement(.block(try parseBlock()), location)
        case .symbol("@"):
            // Annotation: `@name rest-of-line`, attached to the next statement; simulation ignores it.
            advance()
            let line = location.line
            while current.location.line == line {
                if case .end = current.kind { break }
                advance()
            }
            return nil
        case .identifier(let word):
            return try parseKeywordStatement(word, location)
        default:
            if case .end = token.kind {
                throw CompileError(.syntax, location, "Unexpected end of file.")
            }
            let expression = try parseExpression()
            return try finishExpressionStatement(expression, location)
        }
    }

    /// Words that start a statement of their own; anything else goes straight to `parseIdentifierStatement`
    /// (one hash lookup instead of comparing a gate name against every case below).
    private static let statementKeywords: Set<String> = [
        "OPENQASM", "include", "qubit", "qreg", "creg", "bit", "int", "uint", "float", "angle", "bool", "duration",
        "stretch", "complex", "array", "const", "input", "output", "let", "gate", "opaque", "def", "extern",
        "measure", "reset", "barrier", "delay", "if", "for", "while", "switch", "break", "continue", "end",
        "return", "box", "cal", "defcalgrammar", "defcal", "ctrl", "negctrl", "inv", "pow", "gphase",
    ]

    private mutating func parseKeywordStatement(_ word: String, _ location: SourceLocation) throws(CompileError) -> Statement? {
        guard Parser.statementKeywords.contains(word) else { return try parseIdentifierStatement(location) }
        if let statement = try parseDeclarationStatement(word, location) { return statement }
        if let statement = try parseQuantumStatement(word, location) { return statement }
        if let statement = try parseControlFlowStatement(word, location) { return statement }
        if let statement = try parseCalibrationStatement(word, location) { return statement }
        // A keyword that starts an expression statement (a cast such as `int[8](x);`).
        return try parseIdentifierStatement(location)
    }

    /// Declarations: the version line, includes, qubits, classical variables, aliases, gates, subroutines, externs. Nil when `word` starts none of them.
    private mutating func parseDeclarationStatement(_ word: String, _ location: SourceLocation) throws(CompileError) -> Statement? {
        switch word {
        case "OPENQASM":
            throw CompileError(.syntax, location, "The OPENQASM version line must be the first statement.")
        case "include":
            advance()
            guard case .string(let path) = current.kind else {
                throw CompileError(.syntax, current.location, "Expected a file name in quotes after include.")
            }
            advance()
            try expect(";", "after the include file name")
            return Statement(.include(path), location)
        case "qubit":
            advance()
            var size: Expression?
            if accept("[") {
                size = try parseExpression()
                try expect("]", "after the qubit count")
            }
            let name = try expectIdentifier("for the qubit declaration")
            if size == nil && accept("[") {
                size = try parseExpression()
                try expect("]", "after the qubit count")
            }
            try expect(";", "after the qubit declaration")
            return Statement(.qubitDeclaration(name: name, size: size), location)
        case "qreg", "creg":
            advance()
            let name = try expectIdentifier("for the \(word) declaration")
            var size: Expression?
            if accept("[") {
                size = try parseExpression()
                try expect("]", "after the register size")
            }
            try expect(";", "after the \(word) declaration")
            if word == "qreg" { return Statement(.qubitDeclaration(name: name, size: size), location) }
            let type = TypeSpec(base: .bit, width: size ?? Expression(.integer(1), location), location: location)
            return Statement(.classicalDeclaration(ClassicalDeclaration(
                type: type, name: name, initializer: nil, isConst: false, io: .none)), location)
        case "bit", "int", "uint", "float", "angle", "bool", "duration", "stretch", "complex", "array":
            if peek(1).isSymbol("(") || (word != "array" && peek(1).isSymbol("[") && isCastAhead()) {
                break
            }
            return try parseClassicalDeclaration(isConst: false, io: .none, location)
        case "const":
            advance()
            return try parseClassicalDeclaration(isConst: true, io: .none, location)
        case "input", "output":
            advance()
            return try parseClassicalDeclaration(isConst: false, io: word == "input" ? .input : .output, location)
        case "let":
            advance()
            let name = try expectIdentifier("for the alias")
            try expect("=", "after the alias name")
            let value = try parseExpression()
            try expect(";", "after the alias")
            return Statement(.alias(name: name, value: value), location)
        case "gate":
            return Statement(.gateDefinition(try parseGateDefinition()), location)
        case "opaque":
            throw CompileError(.unsupported, location, "Opaque gates have no definition and cannot be simulated.")
        case "def":
            return Statement(.subroutine(try parseSubroutine()), location)
        case "extern":
            advance()
            let name = current.identifier ?? ""
            try skipToSemicolon()
            return Statement(.externDeclaration(name), location)
        default:
            break
        }
        return nil
    }

    /// Measurement, reset, barrier, delay, and gate calls that start with a modifier or gphase. Nil when `word` starts none of them.
    private mutating func parseQuantumStatement(_ word: String, _ location: SourceLocation) throws(CompileError) -> Statement? {
        switch word {
        case "measure":
            advance()
            let source = try parseExpression()
            var target: Expression?
            if accept("->") { target = try parseExpression() }
            try expect(";", "after the measurement")
            return Statement(.measureArrow(source: source, target: target), location)
        case "reset":
            advance()
            let operand = try parseExpression()
            try expect(";", "after reset")
            return Statement(.reset(operand), location)
        case "barrier":
            advance()
            var operands: [Expression] = []
            if !current.isSymbol(";") { operands = try parseExpressionList() }
            try expect(";", "after barrier")
            return Statement(.barrier(operands), location)
        case "delay":
            advance()
            try expect("[", "after delay")
            _ = try parseExpression()
            try expect("]", "after the delay duration")
            var operands: [Expression] = []
            if !current.isSymbol(";") { operands = try parseExpressionList() }
            try expect(";", "after delay")
            return Statement(.delay(qubits: operands), location)
        case "ctrl", "negctrl", "inv", "pow", "gphase":
            return Statement(.gateCall(try parseGateCall()), location)
        default:
            break
        }
        return nil
    }

    /// Branches, loops, switch, break/continue/end, return and box. Nil when `word` starts none of them.
    private mutating func parseControlFlowStatement(_ word: String, _ location: SourceLocation) throws(CompileError) -> Statement? {
        switch word {
        case "if":
            advance()
            try expect("(", "after if")
            let condition = try parseExpression()
            try expect(")", "to close the if condition")
            let then = try parseBody()
            var otherwise: [Statement]?
            if current.isIdentifier("else") {
                advance()
                otherwise = try parseBody()
            }
            return Statement(.ifElse(condition: condition, then: then, otherwise: otherwise), location)
        case "for":
            return try parseFor(location)
        case "while":
            advance()
            try expect("(", "after while")
            let condition = try parseExpression()
            try expect(")", "to close the while condition")
            return Statement(.whileLoop(condition: condition, body: try parseBody()), location)
        case "switch":
            return try parseSwitch(location)
        case "break", "continue", "end":
            advance()
            try expect(";", "after \(word)")
            switch word {
            case "break": return Statement(.breakLoop, location)
            case "continue": return Statement(.continueLoop, location)
            default: return Statement(.end, location)
            }
        case "return":
            advance()
            var value: Expression?
            if !current.isSymbol(";") { value = try parseExpression() }
            try expect(";", "after return")
            return Statement(.returnValue(value), location)
        case "box":
            advance()
            if accept("[") {
                _ = try parseExpression()
                try expect("]", "after the box duration")
            }
            return Statement(.block(try parseBlock()), location)
        default:
            break
        }
        return nil
    }

    /// Pulse-level calibration, which a simulator ignores. Nil when `word` starts none of them.
    private mutating func parseCalibrationStatement(_ word: String, _ location: SourceLocation) throws(CompileError) -> Statement? {
        switch word {
        case "cal":
            advance()
            try skipBraces()
            return Statement(.ignored, location)
        case "defcalgrammar":
            advance()
            try skipToSemicolon()
            return Statement(.ignored, location)
        case "defcal":
            advance()
            while !current.isSymbol("{") {
                if case .end = current.kind { throw CompileError(.syntax, location, "Expected '{' to open the defcal body.") }
                advance()
            }
            try skipBraces()
            return Statement(.ignored, location)
        default:
            break
        }
        return nil
    }

    /// `int[8](x)` at statement start is a cast expression, not a declaration.
    private func isCastAhead() -> Bool {
        var offset = 1
        var level = 0
        while true {
            let token = peek(offset)
            if case .end = token.kind { return false }
            if token.isSymbol("[") { level += 1 }
            if token.isSymbol("]") {
                level -= 1
                if level == 0 { return peek(offset + 1).isSymbol("(") }
            }
            offset += 1
        }
    }

    /// Statements that start with a name: gate calls, assignments, subroutine calls.
    private mutating func parseIdentifierStatement(_ location: SourceLocation) throws(CompileError) -> Statement {
        let next = peek(1)
        let isGateLike: Bool
        switch next.kind {
        case .identifier(let word): isGateLike = word != "in"
        case .hardwareQubit: isGateLike = true
        default: isGateLike = false
        }
        if isGateLike || (next.isSymbol("(") && current.identifier.map { !Parser.reservedWords.contains($0) } == true && isGateCallWithParameters()) {
            return Statement(.gateCall(try parseGateCall()), location)
        }
        let target = try parseExpression()
        return try finishExpressionStatement(target, location)
    }

    /// After `name(`: a gate call has qubit operands after the closing parenthesis, a function call has ';'.
    private func isGateCallWithParameters() -> Bool {
        var offset = 1
        var level = 0
        while true {
            let token = peek(offset)
            if case .end = token.kind { return false }
            if token.isSymbol("(") { level += 1 }
            if token.isSymbol(")") {
                level -= 1
                if level == 0 {
                    let after = peek(offset + 1)
                    if case .identifier = after.kind { return true }
                    if case .hardwareQubit = after.kind { return true }
                    return after.isSymbol("[")
                }
            }
            if token.isSymbol(";") { return true }
            offset += 1
        }
    }

    private static let assignmentOperators: Set<String> = [
        "=", "+=", "-=", "*=", "/=", "%=", "**=", "&=", "|=", "^=", "<<=", ">>=", "~=",
    ]

    mutating func finishExpressionStatement(_ target: Expression, _ location: SourceLocation) throws(CompileError) -> Statement {
        if case .symbol(let op) = current.kind, Parser.assignmentOperators.contains(op) {
            advance()
            let value = try parseExpression()
            try expect(";", "after the assignment")
            return Statement(.assignment(target: target, op: op, value: value), location)
        }
        if !current.isSymbol(";") {
            if case .identifier = target.kind {
                throw CompileError(.syntax, current.location, "Expected an assignment, a gate's qubits or ';', found \(current.displayText).")
            }
        }
        try expect(";", "after the expression")
        return Statement(.expression(target), location)
    }

    mutating func parseGateCall() throws(CompileError) -> GateCall {
        var modifiers: [GateCall.Modifier] = []
        while let word = current.identifier, word == "ctrl" || word == "negctrl" || word == "inv" || word == "pow" {
            let location = current.location
            advance()
            switch word {
            case "inv":
                modifiers.append(.init(kind: .inverse, location: location))
            case "pow":
                try expect("(", "after pow")
                let exponent = try parseExpression()
                try expect(")", "to close pow(...)")
                modifiers.append(.init(kind: .power(exponent), location: location))
            default:
                var count: Expression?
                if accept("(") {
                    count = try parseExpression()
                    try expect(")", "to close \(word)(...)")
                }
                modifiers.append(.init(kind: .control(count, negated: word == "negctrl"), location: location))
            }
            try expect("@", "after the gate modifier '\(word)'")
        }
        let nameLocation = current.location
        guard let name = current.identifier, !Parser.reservedWords.contains(name) || name == "gphase" else {
            throw CompileError(.syntax, current.location, "Expected a gate name, found \(current.displayText).")
        }
        advance()
        var parameters: [Expression] = []
        if accept("(") {
            if !current.isSymbol(")") { parameters = try parseExpressionList() }
            try expect(")", "to close the parameters of '\(name)'")
        }
        if accept("[") {
            _ = try parseExpression()
            try expect("]", "after the gate duration")
        }
        var qubits: [Expression] = []
        if !current.isSymbol(";") { qubits = try parseExpressionList() }
        try expect(";", "after the qubits of '\(name)'")
        return GateCall(modifiers: modifiers, name: name, parameters: parameters, qubits: qubits, nameLocation: nameLocation)
    }

    private mutating func parseFor(_ location: SourceLocation) throws(CompileError) -> Statement {
        advance()
        if let word = current.identifier, ["int", "uint", "float", "angle", "bit", "bool", "duration"].contains(word) {
            _ = try parseType()
        }
        let variable = try expectIdentifier("for the loop variable")
        guard current.isIdentifier("in") else {
            throw CompileError(.syntax, current.location, "Expected 'in' after the loop variable, found \(current.displayText).")
        }
        advance()
        let iterable: Expression
        if current.isSymbol("[") {
            let open = current.location
            advance()
            iterable = try parseRangeBody(open)
            try expect("]", "to close the loop range")
        } else {
            iterable = try parseExpression()
        }
        let body = try parseBody()
        return Statement(.forLoop(variable: variable, iterable: iterable, body: body), location)
    }

    private mutating func parseSwitch(_ location: SourceLocation) throws(CompileError) -> Statement {
        advance()
        try expect("(", "after switch")
        let subject = try parseExpression()
        try expect(")", "to close the switch value")
        try expect("{", "to open the switch body")
        var cases: [SwitchCase] = []
        var defaultBody: [Statement]?
        while !accept("}") {
            if current.isIdentifier("case") {
                advance()
                let values = try parseExpressionList()
                cases.append(SwitchCase(values: values, body: try parseBlock()))
            } else if current.isIdentifier("default") {
                advance()
                defaultBody = try parseBlock()
            } else {
                throw CompileError(.syntax, current.location, "Expected 'case', 'default' or '}' in the switch, found \(current.displayText).")
            }
        }
        return Statement(.switchCase(subject: subject, cases: cases, defaultBody: defaultBody), location)
    }
}
