import Foundation
import Testing
import TestSupport

/// `qtq run` and `qtq check` as a person uses them from a shell.
@Suite struct CommandLineTests {
    func write(_ source: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qtq-cli-\(UUID().uuidString).qasm")
        try source.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func runPrintsCountsAsJSON() async throws {
        let file = try write(Circuits.bell)
        let process = try QTQProcess(["run", file.path, "--shots", "500", "--seed", "7"], environment: [:])
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        let output = try #require(process.log.split(separator: "\n").last.map(String.init))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let counts = try #require(json["counts"] as? [String: Int])
        #expect(Set(counts.keys).isSubset(of: ["00", "11"]))
        #expect(counts.values.reduce(0, +) == 500)
        #expect(json["seed"] as? Int == 7)

        // Same seed, same counts.
        let again = try QTQProcess(["run", file.path, "--shots", "500", "--seed", "7"], environment: [:])
        #expect(await again.waitForExit(timeout: .seconds(30)) == 0)
        #expect(again.log.split(separator: "\n").last.map(String.init) == output)
    }

    @Test func checkReportsLineColumnAndCaret() async throws {
        let file = try write("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nh q[0];\ncx q[0], q[5];\n")
        let process = try QTQProcess(["check", file.path], environment: [:])
        #expect(await process.waitForExit(timeout: .seconds(30)) == 1)
        #expect(process.log.contains("5:"))
        #expect(process.log.contains("cx q[0], q[5];"))
        #expect(process.log.contains("^"))

        let valid = try QTQProcess(["check", try write(Circuits.bell).path], environment: [:])
        #expect(await valid.waitForExit(timeout: .seconds(30)) == 0)
        #expect(valid.log.contains("OK (2 qubits"))
    }
}
