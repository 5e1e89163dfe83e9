import Testing
@testable import QASM

/// Every fixture compiles (or fails at the documented line), and an exact branch-following
/// simulation of the compiled circuit reproduces the reference probabilities.
@Suite struct CorpusTests {
    @Test func corpusIsPresent() {
        #expect(Fixtures.all().count >= 60)
    }

    @Test(arguments: Fixtures.all().filter { $0.kind == "invalid" })
    func invalidProgramsFailAtTheirLine(_ fixture: Fixtures.Case) {
        #expect(throws: CompileFailure.self) { try QASMCompiler.compile(fixture.source) }
        do {
            _ = try QASMCompiler.compile(fixture.source)
        } catch {
            #expect(error.first.line == fixture.errorLine, "\(error)")
        }
    }

    @Test(arguments: Fixtures.all().filter { $0.kind != "invalid" })
    func validProgramsMatchReference(_ fixture: Fixtures.Case) throws {
        let circuit = try QASMCompiler.compile(fixture.source)
        #expect(circuit.qubitCount == fixture.numQubits)
        #expect(circuit.bitCount == fixture.numClbits)
        if let expected = fixture.probabilities {
            let actual = try ReferenceSimulator.distribution(circuit)
            for key in Set(expected.keys).union(actual.keys) {
                let difference = abs((expected[key] ?? 0) - (actual[key] ?? 0))
                #expect(difference < 1e-9, "\(fixture.name) key \(key): expected \(expected[key] ?? 0), got \(actual[key] ?? 0)")
            }
        }
        if let expected = fixture.statevector {
            let actual = try ReferenceSimulator.stateVector(circuit)
            #expect(actual.count == expected.count)
            for (a, e) in zip(actual, expected) where e.count == 2 {
                #expect(abs(a.re - e[0]) < 1e-9 && abs(a.im - e[1]) < 1e-9, "\(fixture.name): \(a) vs \(e)")
            }
        }
    }
}
