import Foundation
import QASM
import Testing
@testable import Simulator

/// One fixture of Tests/Fixtures/circuits (see its README.md).
struct CorpusCase: Sendable, CustomTestStringConvertible {
    struct Expectation: Decodable, Sendable {
        var kind: String
        var probabilities: [String: Double]?
        var counts: [String: Int]?
        var statevector: [[Double]]?
        // swift-format-ignore: AlwaysUseLowerCamelCase
        var num_clbits: Int?  // the fixture format's field names
        // swift-format-ignore: AlwaysUseLowerCamelCase
        var num_qubits: Int?
    }

    var name: String
    var source: String
    var expectation: Expectation

    var testDescription: String { name }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/circuits")

    /// Every runnable fixture (kinds exact and sampled), by name.
    static let all: [CorpusCase] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted().compactMap { file in
            let name = String(file.dropLast(5))
            guard let json = try? Data(contentsOf: directory.appendingPathComponent(file)),
                  let expectation = try? JSONDecoder().decode(Expectation.self, from: json),
                  expectation.kind != "invalid",
                  let source = try? String(contentsOf: directory.appendingPathComponent(name + ".qasm"), encoding: .utf8)
            else { return nil }
            return CorpusCase(name: name, source: source, expectation: expectation)
        }
    }()

    func circuit() throws -> Circuit {
        try QASMCompiler.compile(source, options: CompileOptions())
    }
}

@Suite struct CorpusTests {
    @Test func corpusIsPresent() {
        #expect(CorpusCase.all.count >= 60)
    }

    @Test(arguments: CorpusCase.all)
    func exactProbabilities(_ fixture: CorpusCase) throws {
        guard let expected = fixture.expectation.probabilities else { return }
        let probabilities = try Simulator().probabilities(fixture.circuit())
        for key in Set(expected.keys).union(probabilities.keys) {
            let difference = abs(probabilities[key, default: 0] - expected[key, default: 0])
            #expect(difference <= 1e-10, "\(fixture.name) \(key): \(probabilities[key, default: 0]) vs \(expected[key, default: 0])")
        }
        if let width = fixture.expectation.num_clbits, width > 0 {
            for key in probabilities.keys {
                #expect(key.filter { $0 != " " }.count == width, "\(fixture.name): key \(key)")
            }
        }
    }

    @Test(arguments: CorpusCase.all.filter { $0.expectation.statevector != nil })
    func statevector(_ fixture: CorpusCase) throws {
        let expected = fixture.expectation.statevector ?? []
        let state = try Simulator().statevector(fixture.circuit())
        #expect(state.count == expected.count)
        for (amplitude, pair) in zip(state, expected) {
            #expect(abs(amplitude.re - pair[0]) <= 1e-10 && abs(amplitude.im - pair[1]) <= 1e-10, "\(fixture.name)")
        }
    }

    @Test(arguments: CorpusCase.all.filter { $0.expectation.kind == "sampled" || $0.expectation.probabilities == nil })
    func sampledCounts(_ fixture: CorpusCase) throws {
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

    @Test(arguments: CorpusCase.all.filter { $0.expectation.kind == "exact" })
    func exactFixturesSampleToTheirDistribution(_ fixture: CorpusCase) throws {
        guard let expected = fixture.expectation.probabilities else { return }
        let shots = 50_000
        let result = try Simulator().run(fixture.circuit(), options: RunOptions(shots: shots, seed: 7))
        #expect(chiSquareAcceptable(counts: result.counts, expected: expected, shots: shots), "\(fixture.name)")
    }
}
