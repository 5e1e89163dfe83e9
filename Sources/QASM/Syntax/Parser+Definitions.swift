extension Parser {
    mutating func parseClassicalDeclaration(
        isConst: Bool, io: ClassicalDeclaration.IOKind, _ location: SourceLocation
    ) throws(CompileError) -> Statement {
        if io != .none && current.isIdentifier("qubit") {
            throw CompileError(.unsupported, location, "Qubits cannot be declared input or output.")
        }
        let type = try parseType()
        let name = try expectIdentifier("for the declaration")
        var initializer: Expression?
        if accept("=") { initializer = try parseExpression() }
        try expect(";", "after the declaration of '\(name)'")
        return Statement(.classicalDeclaration(ClassicalDeclaration(
            type: type, name: name, initializer: initializer, isConst: isConst, io: io)), location)
    }

    mutating func parseGateDefinition() throws(CompileError) -> GateDefinition {
        let location = current.location
        advance()
        let name: String
        if let word = current.identifier, !Parser.reservedWords.contains(word) || word == "gphase" {
            name = word
            advance()
        } else {
            throw CompileError(.syntax, current.location, "Expected a gate name after 'gate', found \(current.displayText).")
        }
        var parameters: [String] = []
        if accept("(") {
            if !current.isSymbol(")") {
                repeat { parameters.append(try expectIdentifier("for a gate parameter")) } while accept(",")
            }
            try expect(")", "to close the gate parameters")
        }
        var qubits: [String] = []
        if !current.isSymbol("{") {
            repeat { qubits.append(try expectIdentifier("for a gate qubit argument")) } while accept(",")
        }
        if qubits.isEmpty {
            throw CompileError(.syntax, current.location, "Gate '\(name)' needs at least one qubit argument.")
        }
        let body = try parseBlock()
        return GateDefinition(name: name, parameters: parameters, qubits: qubits, body: body, location: location)
    }

    mutating func parseSubroutine() throws(CompileError) -> SubroutineDefinition {
        let location = current.location
        advance()
        let name = try expectIdentifier("after 'def'")
        try expect("(", "after the subroutine name")
        var parameters: [SubroutineDefinition.Parameter] = []
        if !current.isSymbol(")") {
            repeat {
                var isMutable = false
                if current.isIdentifier("readonly") || current.isIdentifier("mutable") {
                    isMutable = current.isIdentifier("mutable")
                    advance()
                }
                let type: TypeSpec
                if current.isIdentifier("qreg") || current.isIdentifier("creg") {
                    let base: TypeSpec.Base = current.isIdentifier("qreg") ? .qubit : .bit
                    let typeLocation = current.location
                    advance()
                    let paramName = try expectIdentifier("for a subroutine parameter")
                    var width: Expression?
                    if accept("[") {
                        width = try parseExpression()
                        try expect("]", "after the register size")
                    }
                    parameters.append(.init(type: TypeSpec(base: base, width: width, location: typeLocation), name: paramName, isMutable: isMutable))
                    continue
                }
                type = try parseType()
                let paramName = try expectIdentifier("for a subroutine parameter")
                parameters.append(.init(type: type, name: paramName, isMutable: isMutable))
            } while accept(",")
        }
        try expect(")", "to close the subroutine parameters")
        var returnType: TypeSpec?
        if accept("->") { returnType = try parseType() }
        let body = try parseBlock()
        return SubroutineDefinition(name: name, parameters: parameters, returnType: returnType, body: body, location: location)
    }
}
