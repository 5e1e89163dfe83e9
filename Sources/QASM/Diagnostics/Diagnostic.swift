/// One problem found in a program, pointing at the source.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case syntax, undefinedName = "undefined_name", redeclaration, type, arity
        case indexOutOfRange = "index_out_of_range", unsupported, limit
        /// Compilation was stopped from outside (`CompileOptions.stop`): the task's time limit, or shutdown.
        case timeLimit = "time_limit", cancelled
    }

    public var kind: Kind
    /// 1-based line and column (column counts Unicode scalars... see the front-end's lexer for the exact rule).
    public var line: Int
    public var column: Int
    /// One sentence a person can act on.
    public var message: String
    /// The offending source line, without its newline.
    public var sourceLine: String

    public init(kind: Kind, line: Int, column: Int, message: String, sourceLine: String) {
        self.kind = kind
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `line:column: kind: message`, then the source line and a caret under the column.
    public var description: String {
        let caretPad = String(repeating: " ", count: max(0, column - 1))
        return "\(line):\(column): \(kind.rawValue) error: \(message)\n    \(sourceLine)\n    \(caretPad)^"
    }
}

/// Compilation failed; `diagnostics` is non-empty and ordered by position, the first is the one to report.
public struct CompileFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        precondition(!diagnostics.isEmpty)
        self.diagnostics = diagnostics
    }

    public var first: Diagnostic { diagnostics[0] }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
