import CircuitTestSupport
import Foundation
import QASM
import Testing
@testable import Simulator

@Suite struct CorpusTests {
    @Test func corpusIsPresent() {
        #expect(CircuitFixture.runnable.count >= 60)
    }

    @Test(arguments: CircuitFixture.runnable)
    func exactProbabilities(_ fixture: CircuitFixture) throws {
        guard let expected = fixture.expectation.probabilities else { return }
        let probabilities = try Simulator().probabilities(fixture.circuit())
        for key in Set(expected.keys).union(probabilities.keys) {
            let difference = abs(probabilities[key, default: 0] - expected[key, default: 0])
            #expect(difference <= 1e-10, "\(fixture.name) \(key): \(probabilities[key, default: 0]) vs \(expected[key, default: 0])")
        }
        if let width = fixture.expectation.numClbits, width > 0 {
            for key in probabilities.keys {
                #expect(key.filter { $0 != " " }.count == width, "\(fixture.name): key \(key)")
            }
        }
    }

    @Test(arguments: CircuitFixture.runnable.filter { $0.expectation.statevector != nil })
    func statevector(_ fixture: CircuitFixture) throws {
        let expected = fixture.expectation.statevector ?? []
        let state = try Simulator().statevector(fixture.circuit())
        #expect(state.count == expected.count)
        for (amplitude, pair) in zip(state, expected) {
            #expect(abs(amplitude.re - pair[0]) <= 1e-10 && abs(amplitude.im - pair[1]) <= 1e-10, "\(fixture.name)")
        }
    }

    @Test(arguments: CircuitFixture.runnable.filter { $0.expectation.kind == "sampled" || $0.expectation.probabilities == nil })
    func sampledCounts(_ fixture: CircuitFixture) throws {
        let shots = 200_000
        let result = try Simulator().run(fixture.circuit(), options: RunOptions(shots: shots, seed: 2024))
        #expect(result.counts.values.reduce(0, +) == shots)
        if let expected = fixture.expectation.probabilities {
            #expect(chiSquareAcceptable(counts: result.counts, expected: expected, shots: shots), "\(fixture.name): \(result.counts)")
        }
        if let reference = fixture.expectation.counts {
            #expect(totalVariation(frequencies(reference), frequencies(result.counts)) < 0.02, "\(fixture.name)")
        }
    }

    @Test(arguments: CircuitFixture.runnable.filter { $0.expectation.kind == "exact" })
    func exactFixturesSampleToTheirDistribution(_ fixture: CircuitFixture) throws {
        guard let expected = fixture.expectation.probabilities else { return }
        let shots = 50_000
        let result = try Simulator().run(fixture.circuit(), options: RunOptions(shots: shots, seed: 7))
        #expect(chiSquareAcceptable(counts: result.counts, expected: expected, shots: shots), "\(fixture.name)")
    }
}
