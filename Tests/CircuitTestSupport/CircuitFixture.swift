import Foundation
import QASM

/// One case of the shared OpenQASM corpus in Tests/Fixtures/circuits: `NAME.qasm` and its expectation `NAME.json`
/// (fields described in that directory's README.md).
public struct CircuitFixture: Sendable, CustomStringConvertible {
    public struct Expectation: Decodable, Sendable {
        /// "exact", "sampled" or "invalid".
        public var kind: String
        public var probabilities: [String: Double]?
        public var counts: [String: Int]?
        /// `[[re, im], ...]`, qubit 0 least significant.
        public var statevector: [[Double]]?
        public var numQubits: Int?
        public var numClbits: Int?
        /// Where an invalid program is wrong (1-based).
        public var errorLine: Int?

        enum CodingKeys: String, CodingKey {
            case kind, probabilities, counts, statevector
            case numQubits = "num_qubits", numClbits = "num_clbits", errorLine = "error_contains_line"
        }
    }

    public var name: String
    public var source: String
    public var expectation: Expectation

    public var description: String { name }
    public var isValid: Bool { expectation.kind != "invalid" }

    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // CircuitTestSupport
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/circuits")

    /// Every case with both files, by name. A file that cannot be read or decoded leaves its case out, and each
    /// corpus suite checks the count, so a broken fixture fails there.
    public static let all: [CircuitFixture] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".qasm") }.sorted().compactMap { file in
            let name = String(file.dropLast(5))
            guard let source = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8),
                  let json = try? Data(contentsOf: directory.appendingPathComponent(name + ".json")),
                  let expectation = try? JSONDecoder().decode(Expectation.self, from: json)
            else { return nil }
            return CircuitFixture(name: name, source: source, expectation: expectation)
        }
    }()

    /// The cases that compile (kinds exact and sampled).
    public static let runnable: [CircuitFixture] = all.filter(\.isValid)

    public func circuit(options: CompileOptions = CompileOptions()) throws(CompileFailure) -> Circuit {
        try QASMCompiler.compile(source, options: options)
    }
}
