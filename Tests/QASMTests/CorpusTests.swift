import CircuitTestSupport
import Testing
@testable import QASM

/// Every fixture compiles (or fails at the documented line), and an exact branch-following
/// simulation of the compiled circuit reproduces the reference probabilities.
@Suite struct CorpusTests {
    @Test func corpusIsPresent() {
        #expect(CircuitFixture.all.count >= 60)
    }

    @Test(arguments: CircuitFixture.all.filter { !$0.isValid })
    func invalidProgramsFailAtTheirLine(_ fixture: CircuitFixture) {
        #expect(throws: CompileFailure.self) { try QASMCompiler.compile(fixture.source) }
        do {
            _ = try QASMCompiler.compile(fixture.source)
        } catch {
            #expect(error.first.line == fixture.expectation.errorLine, "\(error)")
        }
    }

    @Test(arguments: CircuitFixture.all.filter(\.isValid))
    func validProgramsMatchReference(_ fixture: CircuitFixture) throws {
        let circuit = try QASMCompiler.compile(fixture.source)
        #expect(circuit.qubitCount == fixture.expectation.numQubits)
        #expect(circuit.bitCount == fixture.expectation.numClbits)
        if let expected = fixture.expectation.probabilities {
            let actual = try ReferenceSimulator.distribution(circuit)
            for key in Set(expected.keys).union(actual.keys) {
                let difference = abs((expected[key] ?? 0) - (actual[key] ?? 0))
                #expect(difference < 1e-9, "\(fixture.name) key \(key): expected \(expected[key] ?? 0), got \(actual[key] ?? 0)")
            }
        }
        if let expected = fixture.expectation.statevector {
            let actual = try ReferenceSimulator.statevector(circuit)
            #expect(actual.count == expected.count)
            for (a, e) in zip(actual, expected) where e.count == 2 {
                #expect(abs(a.re - e[0]) < 1e-9 && abs(a.im - e[1]) < 1e-9, "\(fixture.name): \(a) vs \(e)")
            }
        }
    }
}
