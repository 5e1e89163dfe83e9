/// Recursive-descent parser for OpenQASM 2 and 3. Produces the statement list and the language version.
struct Parser {
    struct Program {
        var majorVersion: Int
        var statements: [Statement]
        /// Highest hardware qubit (`$n`) used, if any: such programs address qubits 0...n directly.
        var maxHardwareQubit: (index: Int, location: SourceLocation)?
    }

    var tokens: [Token]
    var position = 0
    /// Nesting depth of blocks and expressions, bounded so hostile input cannot overflow the stack.
    var depth = 0
    static let maxDepth = 256
    /// Language version from the header: OpenQASM 2 spells power `^` (3 uses `**`, and `^` is xor).
    var version = 3
    /// Highest `$n` parsed in an expression (calibration blocks are skipped, so theirs do not count).
    var maxHardwareQubit: (index: Int, location: SourceLocation)?

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses a whole program. After a syntax error the parser skips to the next statement and goes on,
    /// so several errors can be reported; all of them are thrown together.
    static func parse(_ source: String) throws(CompileErrors) -> Program {
        let tokens: [Token]
        do throws(CompileError) {
            tokens = try Lexer.tokenize(source)
        } catch {
            throw CompileErrors(errors: [error])
        }
        var parser = Parser(tokens: tokens)
        return try parser.parseProgram()
    }

    var current: Token { tokens[position] }

    func peek(_ offset: Int) -> Token {
        let i = position + offset
        return i < tokens.count ? tokens[i] : tokens[tokens.count - 1]
    }

    mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    mutating func accept(_ symbol: String) -> Bool {
        if current.isSymbol(symbol) {
            advance()
            return true
        }
        return false
    }

    mutating func expect(_ symbol: String, _ context: String) throws(CompileError) {
        guard accept(symbol) else {
            throw CompileError(.syntax, current.location, "Expected '\(symbol)' \(context), found \(current.displayText).")
        }
    }

    mutating func expectIdentifier(_ context: String) throws(CompileError) -> String {
        guard let name = current.identifier, !Parser.reservedWords.contains(name) else {
            throw CompileError(.syntax, current.location, "Expected a name \(context), found \(current.displayText).")
        }
        advance()
        return name
    }

    static let reservedWords: Set<String> = [
        "OPENQASM", "include", "qubit", "qreg", "creg", "bit", "int", "uint", "float", "angle", "bool", "duration",
        "stretch", "complex", "array", "const", "input", "output", "let", "gate", "opaque", "def", "extern",
        "measure", "reset", "barrier", "delay", "if", "else", "for", "in", "while", "switch", "case", "default",
        "break", "continue", "return", "end", "box", "cal", "defcal", "defcalgrammar", "ctrl", "negctrl", "inv",
        "pow", "gphase", "true", "false", "void", "mutable", "readonly", "durationof",
    ]

    mutating func enterNesting(_ location: SourceLocation) throws(CompileError) {
        depth += 1
        guard depth <= Parser.maxDepth else {
            throw CompileError(.limit, location, "Program nesting is deeper than \(Parser.maxDepth) levels.")
        }
    }

    mutating func parseProgram() throws(CompileErrors) -> Program {
        do throws(CompileError) {
            try parseHeader()
        } catch {
            throw CompileErrors(errors: [error])
        }
        var statements: [Statement] = []
        var errors: [CompileError] = []
        while true {
            if case .end = current.kind { break }
            do throws(CompileError) {
                if let statement = try parseStatement() { statements.append(statement) }
            } catch {
                errors.append(error)
                // Nesting limits and unterminated blocks leave nothing sensible to resume from.
                if error.kind == .limit || errors.count >= 20 { break }
                skipPastStatement()
                depth = 0
            }
        }
        if !errors.isEmpty { throw CompileErrors(errors: errors) }
        return Program(majorVersion: version, statements: statements, maxHardwareQubit: maxHardwareQubit)
    }

    /// Error recovery: skip to just after the next `;` or balanced `{ ... }` group.
    mutating func skipPastStatement() {
        var level = 0
        while true {
            if case .end = current.kind { return }
            if current.isSymbol("{") { level += 1 }
            if current.isSymbol("}") {
                level -= 1
                if level <= 0 {
                    advance()
                    return
                }
            }
            if current.isSymbol(";") && level <= 0 {
                advance()
                return
            }
            advance()
        }
    }

    private mutating func parseHeader() throws(CompileError) {
        var version = 3
        if current.isIdentifier("OPENQASM") {
            let location = current.location
            advance()
            switch current.kind {
            case .integer(let major): version = major
            case .float(let value) where value >= 0 && value < 100: version = Int(value)
            default:
                throw CompileError(.syntax, current.location, "Expected a version number after OPENQASM, found \(current.displayText).")
            }
            guard version == 2 || version == 3 else {
                throw CompileError(.unsupported, location, "OpenQASM version \(version) is not supported; use 2.0 or 3.")
            }
            advance()
            try expect(";", "after the OPENQASM version")
        }
        self.version = version
    }

    /// A `{ ... }` block or a single statement (for `if`, `for`, `while` bodies).
    mutating func parseBody() throws(CompileError) -> [Statement] {
        if current.isSymbol("{") { return try parseBlock() }
        let location = current.location
        guard let statement = try parseStatement() else { return [] }
        if case .qubitDeclaration = statement.kind {
            throw CompileError(.syntax, location, "Declarations need a block with braces here.")
        }
        return [statement]
    }

    mutating func parseBlock() throws(CompileError) -> [Statement] {
        let open = current.location
        try expect("{", "to open a block")
        try enterNesting(open)
        defer { depth -= 1 }
        var statements: [Statement] = []
        while !current.isSymbol("}") {
            if case .end = current.kind {
                throw CompileError(.syntax, open, "Block opened here is never closed with '}'.")
            }
            if let statement = try parseStatement() { statements.append(statement) }
        }
        advance()
        return statements
    }

    /// Skips a balanced `{ ... }` group (calibration bodies); the current token is `{`.
    mutating func skipBraces() throws(CompileError) {
        let open = current.location
        var level = 0
        repeat {
            if case .end = current.kind {
                throw CompileError(.syntax, open, "Block opened here is never closed with '}'.")
            }
            if current.isSymbol("{") { level += 1 }
            if current.isSymbol("}") { level -= 1 }
            advance()
        } while level > 0
    }

    mutating func skipToSemicolon() throws(CompileError) {
        let start = current.location
        while !current.isSymbol(";") {
            if case .end = current.kind { throw CompileError(.syntax, start, "Expected ';' to end the statement.") }
            advance()
        }
        advance()
    }
}
