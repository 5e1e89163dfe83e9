/// Turns OpenQASM source text into tokens. Works on UTF-8 bytes; columns count Unicode scalars
/// (continuation bytes do not advance the column), so `π` is one column wide.
struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ source: String) {
        bytes = Array(source.utf8)
    }

    static func tokenize(_ source: String) throws(CompileError) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        tokens.reserveCapacity(lexer.bytes.count / 3 + 1)
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if case .end = token.kind { return tokens }
        }
    }

    private var location: SourceLocation { SourceLocation(line: line, column: column) }

    private func peek(_ offset: Int = 0) -> UInt8 {
        let i = index + offset
        return i < bytes.count ? bytes[i] : 0
    }

    private mutating func advance() {
        guard index < bytes.count else { return }
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func skipTrivia() throws(CompileError) {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12 {
                advance()
            } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/") {
                while index < bytes.count && bytes[index] != 10 { advance() }
            } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let start = location
                advance(); advance()
                while !(peek() == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                    if index >= bytes.count {
                        throw CompileError(.syntax, start, "Block comment is never closed with '*/'.")
                    }
                    advance()
                }
                advance(); advance()
            } else if byte == 0xC2 && peek(1) == 0xA0 {
                advance(); advance() // no-break space
            } else {
                return
            }
        }
    }

    mutating func next() throws(CompileError) -> Token {
        try skipTrivia()
        let start = location
        guard index < bytes.count else { return Token(kind: .end, location: start) }
        let byte = bytes[index]
        if Lexer.isIdentifierStart(byte) || byte >= 0x80 {
            return Token(kind: try identifier(start), location: start)
        }
        if Lexer.isDigit(byte) || (byte == UInt8(ascii: ".") && Lexer.isDigit(peek(1))) {
            return Token(kind: try number(start), location: start)
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            return Token(kind: try string(start, quote: byte), location: start)
        }
        if byte == UInt8(ascii: "$") {
            advance()
            var value = 0
            var digits = 0
            while Lexer.isDigit(peek()) {
                let (next, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw CompileError(.syntax, start, "Hardware qubit number is too large.") }
                value = next &+ Int(peek() - 48)
                digits += 1
                advance()
            }
            guard digits > 0 else { throw CompileError(.syntax, start, "Expected a number after '$' (hardware qubit).") }
            return Token(kind: .hardwareQubit(value), location: start)
        }
        if byte == UInt8(ascii: "#") {
            // `#dim` (array parameter dimensions) is a word; any other `#...` line is a pragma.
            if peek(1) == UInt8(ascii: "d") && peek(2) == UInt8(ascii: "i") && peek(3) == UInt8(ascii: "m")
                && !Lexer.isIdentifierStart(peek(4)) && !Lexer.isDigit(peek(4)) {
                advance(); advance(); advance(); advance()
                return Token(kind: .identifier("#dim"), location: start)
            }
            while index < bytes.count && bytes[index] != 10 { advance() }
            return Token(kind: .pragma, location: start)
        }
        return Token(kind: .symbol(try symbol(start)), location: start)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
    }

    private mutating func identifier(_ start: SourceLocation) throws(CompileError) -> Token.Kind {
        let first = index
        while index < bytes.count {
            let byte = bytes[index]
            if Lexer.isIdentifierStart(byte) || Lexer.isDigit(byte) {
                advance()
            } else if byte >= 0x80 {
                let scalarStart = index
                advance()
                while index < bytes.count && bytes[index] & 0xC0 == 0x80 { advance() }
                let text = String(decoding: bytes[scalarStart..<index], as: UTF8.self)
                guard let scalar = text.unicodeScalars.first, Lexer.isIdentifierScalar(scalar) else {
                    throw CompileError(.syntax, start, "Unexpected character '\(text)'.")
                }
            } else {
                break
            }
        }
        return .identifier(String(decoding: bytes[first..<index], as: UTF8.self))
    }

    /// Letters (Greek included, for θ and π), letter numbers and the constants ℇ and τ.
    private static func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return properties.isAlphabetic || properties.generalCategory == .letterNumber
    }

    private mutating func number(_ start: SourceLocation) throws(CompileError) -> Token.Kind {
        if peek() == UInt8(ascii: "0"), let radix = Lexer.radix(peek(1)) {
            advance(); advance()
            var value = 0
            var digits = 0
            while true {
                let byte = peek()
                if byte == UInt8(ascii: "_") { advance(); continue }
                guard let digit = Lexer.digitValue(byte), digit < radix else { break }
                let (scaled, o1) = value.multipliedReportingOverflow(by: radix)
                let (next, o2) = scaled.addingReportingOverflow(digit)
                guard !o1, !o2 else { throw CompileError(.syntax, start, "Integer literal is too large.") }
                value = next
                digits += 1
                advance()
            }
            guard digits > 0 else { throw CompileError(.syntax, start, "Expected digits in the integer literal.") }
            return .integer(value)
        }
        let first = index
        var isFloat = false
        while Lexer.isDigit(peek()) || peek() == UInt8(ascii: "_") { advance() }
        if peek() == UInt8(ascii: ".") && (Lexer.isDigit(peek(1)) || !Lexer.isIdentifierStart(peek(1))) {
            isFloat = true
            advance()
            while Lexer.isDigit(peek()) || peek() == UInt8(ascii: "_") { advance() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            let signOffset = (peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")) ? 1 : 0
            if Lexer.isDigit(peek(1 + signOffset)) {
                isFloat = true
                advance()
                if signOffset == 1 { advance() }
                while Lexer.isDigit(peek()) { advance() }
            }
        }
        let text = String(decoding: bytes[first..<index].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        let suffixStart = index
        while Lexer.isIdentifierStart(peek()) || peek() == 0xC2 || peek() == 0xB5 || (peek() == 0xCE && peek(1) == 0xBC) {
            if peek() == 0xCE { advance() }
            advance()
        }
        let suffix = String(decoding: bytes[suffixStart..<index], as: UTF8.self)
        if suffix.isEmpty {
            if !isFloat, let value = Int(text) { return .integer(value) }
            if !isFloat { throw CompileError(.syntax, start, "Integer literal is too large.") }
            guard let value = Double(text) else { throw CompileError(.syntax, start, "Malformed number '\(text)'.") }
            return .float(value)
        }
        guard let value = Double(text) else { throw CompileError(.syntax, start, "Malformed number '\(text)'.") }
        switch suffix {
        case "im": return .imaginary(value)
        case "dt", "ns", "us", "µs", "μs", "ms", "s": return .duration(value, suffix == "µs" || suffix == "μs" ? "us" : suffix)
        default: throw CompileError(.syntax, start, "Unexpected '\(suffix)' after the number \(text).")
        }
    }

    private static func radix(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "x"), UInt8(ascii: "X"): return 16
        case UInt8(ascii: "o"): return 8
        case UInt8(ascii: "b"), UInt8(ascii: "B"): return 2
        default: return nil
        }
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 48...57: return Int(byte - 48)
        case 97...102: return Int(byte - 97 + 10)
        case 65...70: return Int(byte - 65 + 10)
        default: return nil
        }
    }

    private mutating func string(_ start: SourceLocation, quote: UInt8) throws(CompileError) -> Token.Kind {
        advance()
        let first = index
        while index < bytes.count && bytes[index] != quote {
            if bytes[index] == 10 { throw CompileError(.syntax, start, "String literal is not closed on its line.") }
            advance()
        }
        guard index < bytes.count else { throw CompileError(.syntax, start, "String literal is never closed.") }
        let text = String(decoding: bytes[first..<index], as: UTF8.self)
        advance()
        return .string(text)
    }

    /// Operators and punctuation, longest match first (switching on bytes: this runs for every symbol token).
    private mutating func symbol(_ start: SourceLocation) throws(CompileError) -> String {
        let a = bytes[index], b = peek(1), c = peek(2)
        func take(_ count: Int, _ text: String) -> String {
            for _ in 0..<count { advance() }
            return text
        }
        switch (a, b) {
        case (UInt8(ascii: "*"), UInt8(ascii: "*")): return c == UInt8(ascii: "=") ? take(3, "**=") : take(2, "**")
        case (UInt8(ascii: "<"), UInt8(ascii: "<")): return c == UInt8(ascii: "=") ? take(3, "<<=") : take(2, "<<")
        case (UInt8(ascii: ">"), UInt8(ascii: ">")): return c == UInt8(ascii: "=") ? take(3, ">>=") : take(2, ">>")
        case (UInt8(ascii: "&"), UInt8(ascii: "&")): return take(2, "&&")
        case (UInt8(ascii: "|"), UInt8(ascii: "|")): return take(2, "||")
        case (UInt8(ascii: "+"), UInt8(ascii: "+")): return take(2, "++")
        case (UInt8(ascii: "-"), UInt8(ascii: ">")): return take(2, "->")
        case (_, UInt8(ascii: "=")):
            switch a {
            case UInt8(ascii: "="): return take(2, "==")
            case UInt8(ascii: "!"): return take(2, "!=")
            case UInt8(ascii: "<"): return take(2, "<=")
            case UInt8(ascii: ">"): return take(2, ">=")
            case UInt8(ascii: "+"): return take(2, "+=")
            case UInt8(ascii: "-"): return take(2, "-=")
            case UInt8(ascii: "*"): return take(2, "*=")
            case UInt8(ascii: "/"): return take(2, "/=")
            case UInt8(ascii: "%"): return take(2, "%=")
            case UInt8(ascii: "&"): return take(2, "&=")
            case UInt8(ascii: "|"): return take(2, "|=")
            case UInt8(ascii: "^"): return take(2, "^=")
            case UInt8(ascii: "~"): return take(2, "~=")
            default: break
            }
        default:
            break
        }
        switch a {
        case UInt8(ascii: "+"): return take(1, "+")
        case UInt8(ascii: "-"): return take(1, "-")
        case UInt8(ascii: "*"): return take(1, "*")
        case UInt8(ascii: "/"): return take(1, "/")
        case UInt8(ascii: "%"): return take(1, "%")
        case UInt8(ascii: "~"): return take(1, "~")
        case UInt8(ascii: "!"): return take(1, "!")
        case UInt8(ascii: "&"): return take(1, "&")
        case UInt8(ascii: "|"): return take(1, "|")
        case UInt8(ascii: "^"): return take(1, "^")
        case UInt8(ascii: "<"): return take(1, "<")
        case UInt8(ascii: ">"): return take(1, ">")
        case UInt8(ascii: "="): return take(1, "=")
        case UInt8(ascii: "("): return take(1, "(")
        case UInt8(ascii: ")"): return take(1, ")")
        case UInt8(ascii: "["): return take(1, "[")
        case UInt8(ascii: "]"): return take(1, "]")
        case UInt8(ascii: "{"): return take(1, "{")
        case UInt8(ascii: "}"): return take(1, "}")
        case UInt8(ascii: ","): return take(1, ",")
        case UInt8(ascii: ";"): return take(1, ";")
        case UInt8(ascii: ":"): return take(1, ":")
        case UInt8(ascii: "."): return take(1, ".")
        case UInt8(ascii: "@"): return take(1, "@")
        default:
            let shown = a < 32 || a == 127 ? "byte 0x\(String(a, radix: 16))" : "'\(Character(Unicode.Scalar(a)))'"
            throw CompileError(.syntax, start, "Unexpected character \(shown).")
        }
    }
}
