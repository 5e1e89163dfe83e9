import Foundation

/// The shared OpenQASM corpus in Tests/Fixtures/circuits, found relative to this file.
enum Fixtures {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // QASMTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/circuits")

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var source: String
        var kind: String
        var probabilities: [String: Double]?
        var statevector: [[Double]]?
        var errorLine: Int?
        var numQubits: Int?
        var numClbits: Int?
        var description: String { name }
    }

    static func all() -> [Case] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".qasm") }.sorted().compactMap { file in
            let name = String(file.dropLast(5))
            guard let source = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8),
                  let data = try? Data(contentsOf: directory.appendingPathComponent(name + ".json")),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return nil }
            return Case(
                name: name, source: source, kind: json["kind"] as? String ?? "",
                probabilities: (json["probabilities"] as? [String: Any])?.compactMapValues { ($0 as? NSNumber)?.doubleValue },
                statevector: (json["statevector"] as? [[Any]])?.map { $0.compactMap { ($0 as? NSNumber)?.doubleValue } },
                errorLine: json["error_contains_line"] as? Int,
                numQubits: json["num_qubits"] as? Int,
                numClbits: json["num_clbits"] as? Int)
        }
    }
}
