/// A 1-based position in the source: line, and column counted in Unicode scalars.
struct SourceLocation: Sendable, Hashable {
    var line: Int
    var column: Int
}

/// One lexical token. Identifiers and keywords share `.identifier`; the parser decides by spelling.
struct Token: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case identifier(String)
        case integer(Int)
        case float(Double)
        case imaginary(Double)
        /// A timing literal such as `100ns`; the value is in the given unit.
        case duration(Double, String)
        /// A string literal: `"stdgates.inc"` or a bitstring `"0101"`.
        case string(String)
        /// A hardware qubit such as `$3`.
        case hardwareQubit(Int)
        case symbol(String)
        /// `#pragma ...` up to the end of the line (kept so the parser can skip it as a statement).
        case pragma
        case end
    }

    var kind: Kind
    var location: SourceLocation

    var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }

    func isSymbol(_ text: String) -> Bool {
        if case .symbol(let s) = kind { return s == text }
        return false
    }

    func isIdentifier(_ text: String) -> Bool {
        if case .identifier(let s) = kind { return s == text }
        return false
    }

    /// How the token is shown in "expected X, found Y" messages.
    var displayText: String {
        switch kind {
        case .identifier(let s): return "'\(s)'"
        case .integer(let v): return "'\(v)'"
        case .float(let v): return "'\(v)'"
        case .imaginary(let v): return "'\(v)im'"
        case .duration(let v, let unit): return "'\(v)\(unit)'"
        case .string(let s): return "\"\(s)\""
        case .hardwareQubit(let n): return "'$\(n)'"
        case .symbol(let s): return "'\(s)'"
        case .pragma: return "pragma"
        case .end: return "end of file"
        }
    }
}
