/// An error found while compiling, before it is rendered with its source line into a `Diagnostic`.
struct CompileError: Error, Sendable, Hashable {
    var kind: Diagnostic.Kind
    var location: SourceLocation
    var message: String

    init(_ kind: Diagnostic.Kind, _ location: SourceLocation, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }
}

/// Several errors from one compilation, in the order found.
struct CompileErrors: Error {
    var errors: [CompileError]
}

extension CompileFailure {
    /// Renders internal errors against the source text (sorted by position, first = the one to report).
    init(errors: [CompileError], source: String) {
        let lines = SourceLines(source)
        let diagnostics = errors
            .sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
            .map { error in
                Diagnostic(
                    kind: error.kind,
                    line: error.location.line,
                    column: error.location.column,
                    message: error.message,
                    sourceLine: lines.line(error.location.line)
                )
            }
        self.init(diagnostics: diagnostics.isEmpty
            ? [Diagnostic(kind: .syntax, line: 1, column: 1, message: "Compilation failed.", sourceLine: lines.line(1))]
            : diagnostics)
    }
}

/// Finds source lines by number without splitting the whole text up front (only needed when reporting).
struct SourceLines {
    private let source: String

    init(_ source: String) { self.source = source }

    func line(_ number: Int) -> String {
        var current = 1
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == number {
                var text = String(line)
                if text.hasSuffix("\r") { text.removeLast() }
                return text
            }
            current += 1
        }
        return ""
    }
}
