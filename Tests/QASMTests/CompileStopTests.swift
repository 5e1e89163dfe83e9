import Testing
@testable import QASM

/// Compilation stops on its caller's deadline or cancellation, also deep inside loop unrolling.
@Suite struct CompileStopTests {
    /// Unrolls to 400,000 operations: well within the limits, long enough to be stopped midway.
    static let longUnrolling = """
        OPENQASM 3.0;
        include "stdgates.inc";
        qubit[2] q;
        for int i in [0:199999] {
            x q[0];
            cx q[0], q[1];
        }
        """

    @Test func aPassedDeadlineStopsCompilation() throws {
        var options = CompileOptions()
        options.stop = CompileStopCondition(deadline: .now)
        let diagnostic = try #require(failure(Self.longUnrolling, options: options))
        #expect(diagnostic.kind == .timeLimit)
        #expect(diagnostic.message.contains("time limit"))
    }

    @Test func cancellationStopsCompilation() throws {
        var options = CompileOptions()
        options.stop = CompileStopCondition(isCancelled: { true })
        let diagnostic = try #require(failure(Self.longUnrolling, options: options))
        #expect(diagnostic.kind == .cancelled)
    }

    @Test func aFarDeadlineChangesNothing() throws {
        var options = CompileOptions()
        options.stop = CompileStopCondition(deadline: .now.advanced(by: .seconds(600)), isCancelled: { false })
        let circuit = try QASMCompiler.compile(Self.longUnrolling, options: options)
        #expect(circuit.instructions.count == 400_000)
        #expect(options == CompileOptions())
    }
}
