/// The OpenQASM 2/3 front-end: source text in, engine-ready `Circuit` out.
public enum QASMCompiler {
    /// Compiles a program. Errors carry line:column diagnostics; nothing here traps on any input.
    public static func compile(_ source: String, options: CompileOptions = CompileOptions()) throws(CompileFailure) -> Circuit {
        guard source.utf8.count <= options.maxSourceBytes else {
            throw CompileFailure(diagnostics: [Diagnostic(
                kind: .limit, line: 1, column: 1,
                message: "The program is \(source.utf8.count) bytes, more than the limit of \(options.maxSourceBytes).",
                sourceLine: SourceLines(source).line(1))])
        }
        if let circuit = StraightLineCompiler.compile(source, options: options) { return circuit }
        return try compileGeneral(source, options: options)
    }

    /// The full front-end (lexer, parser, lowering), without the straight-line shortcut.
    static func compileGeneral(_ source: String, options: CompileOptions) throws(CompileFailure) -> Circuit {
        let program: Parser.Program
        do throws(CompileErrors) {
            program = try Parser.parse(source)
        } catch {
            throw CompileFailure(errors: error.errors, source: source)
        }
        switch Lowerer.lower(program, options: options) {
        case .success(let circuit): return circuit
        case .failure(let failure): throw CompileFailure(errors: failure.errors, source: source)
        }
    }
}
