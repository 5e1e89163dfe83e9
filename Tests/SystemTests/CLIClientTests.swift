import Foundation
import Testing
import TestSupport

/// `qtq submit` and `qtq status` against a real `qtq serve` (and `qtq work`) on loopback and PostgreSQL,
/// run as a person runs them from a shell. list and cancel: CLIClientPendingEndpointsTests.
@Suite(.serialized) struct CLIClientTests {
    func write(_ source: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qtq-cli-\(UUID().uuidString).qasm")
        try source.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func submitPrintsTheTaskIDAndStatusShowsTheTask() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        defer { api.signal(SIGKILL) }
        let url = http.baseURL.absoluteString
        let file = try write(Circuits.bell)

        let submit = try await CLIRun.qtq(["submit", file, "--shots", "300", "--seed", "11", "--url", url])
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(submit.stderr.isEmpty)
        #expect(submit.lines.count == 1)
        let id = try #require(submit.lines.first.flatMap { UUID(uuidString: $0) }, "\(submit.stdout)")
        let stored = try #require(try await harness.task(id))
        #expect(stored.status == .pending && stored.shots == 300)

        // QTQ_URL instead of --url; human-readable by default, the API's JSON with --json.
        let status = try await CLIRun.qtq(["status", id.uuidString.lowercased()], environment: ["QTQ_URL": url])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.lines.contains { $0.hasPrefix("task") && $0.hasSuffix(id.uuidString.lowercased()) }, "\(status.stdout)")
        #expect(status.lines.contains { $0.hasPrefix("status") && $0.hasSuffix("pending") }, "\(status.stdout)")
        let json = try await CLIRun.qtq(["status", id.uuidString.lowercased(), "--json", "--url", url + "/"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(body["task_id"] as? String == id.uuidString.lowercased())
        #expect(body["status"] as? String == "pending")
    }

    @Test func submitWaitPrintsTheCountsQtqRunPrints() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        let worker = try harness.startWorker(id: "cli-wait")
        defer { api.signal(SIGKILL); worker.signal(SIGKILL) }
        let url = http.baseURL.absoluteString
        let file = try write(Circuits.bell)

        let waited = try await CLIRun.qtq(["submit", file, "--shots", "1000", "--seed", "7", "--wait", "--url", url])
        #expect(waited.status == 0, "\(waited.stderr)\nworker log:\n\(worker.log)")
        // Not a terminal: no progress line, only the result.
        #expect(waited.stderr.isEmpty, "\(waited.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(waited.stdout.utf8)) as? [String: Any], "\(waited.stdout)")
        let counts = try #require(result["counts"] as? [String: Int])
        #expect(Set(counts.keys).isSubset(of: ["00", "11"]) && counts.values.reduce(0, +) == 1000)
        #expect(result["shots"] as? Int == 1000 && result["success"] as? Bool == true && result["seed"] as? Int == 7)
        // The same seed gives the same counts as the local simulator.
        let local = try await CLIRun.qtq(["run", file, "--shots", "1000", "--seed", "7"])
        let localCounts = try #require(try JSONSerialization.jsonObject(with: Data(local.stdout.utf8)) as? [String: Any])["counts"] as? [String: Int]
        #expect(counts == localCounts)
        #expect(result["precision"] as? String == "double")

        // Single precision end to end: the worker runs what `qtq run --precision single` runs, and says so.
        let single = try await CLIRun.qtq(["submit", file, "--shots", "1000", "--seed", "7", "--precision", "single", "--wait", "--url", url])
        #expect(single.status == 0, "\(single.stderr)")
        let singleResult = try #require(try JSONSerialization.jsonObject(with: Data(single.stdout.utf8)) as? [String: Any], "\(single.stdout)")
        #expect(singleResult["precision"] as? String == "single")
        let localSingle = try await CLIRun.qtq(["run", file, "--shots", "1000", "--seed", "7", "--precision", "single"])
        let localSingleResult = try #require(try JSONSerialization.jsonObject(with: Data(localSingle.stdout.utf8)) as? [String: Any])
        #expect(localSingleResult["precision"] as? String == "single")
        #expect(singleResult["counts"] as? [String: Int] == localSingleResult["counts"] as? [String: Int])
        let badPrecision = try await CLIRun.qtq(["run", file, "--precision", "half"])
        #expect(badPrecision.status != 0)

        // A circuit that fails in the worker: its error, exit 1.
        let broken = try write("OPENQASM 3.0;\nqubit q;\nnosuchgate q;\n")
        let failed = try await CLIRun.qtq(["submit", broken, "--wait", "--url", url])
        #expect(failed.status == 1)
        #expect(failed.stdout.isEmpty)
        #expect(failed.stderr.contains("failed:") && failed.stderr.contains("nosuchgate"), "\(failed.stderr)")
    }

    @Test func anErrorPrintsTheAPIsMessageAndExitsNonZero() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        defer { api.signal(SIGKILL) }
        let url = http.baseURL.absoluteString
        let file = try write(Circuits.x)

        let badShots = try await CLIRun.qtq(["submit", file, "--shots", "0", "--url", url])
        #expect(badShots.status == 1)
        #expect(badShots.stdout.isEmpty)
        #expect(badShots.stderr == "qtq: Field \"shots\" must be a whole number from 1 to 100000; got 0.\n", "\(badShots.stderr)")

        let missing = UUID().uuidString.lowercased()
        let notFound = try await CLIRun.qtq(["status", missing, "--url", url])
        #expect(notFound.status == 1)
        #expect(notFound.stderr == "qtq: Task \(missing) not found.\n", "\(notFound.stderr)")

        // User input is escaped into the path, and the API's own message comes back.
        let notUUID = try await CLIRun.qtq(["status", "not a/uuid", "--url", url])
        #expect(notUUID.status == 1)
        #expect(notUUID.stderr.contains("is not a UUID"), "\(notUUID.stderr)")

        let badURL = try await CLIRun.qtq(["status", missing, "--url", "localhost:8001"])
        #expect(badURL.status == 64)
        #expect(badURL.stderr.contains("is not an http:// or https:// URL"), "\(badURL.stderr)")
    }

    @Test func nothingListeningIsOneClearSentence() async throws {
        let port = try freePort()
        let started = ContinuousClock.now
        let refused = try await CLIRun.qtq(["status", UUID().uuidString, "--url", "http://127.0.0.1:\(port)"], timeout: .seconds(20))
        #expect(ContinuousClock.now - started < .seconds(10), "gave up only after retrying")
        #expect(refused.status == 69)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr == "qtq: Could not reach the qtq API at http://127.0.0.1:\(port) (connection refused): is `qtq serve` running there? Set --url or QTQ_URL.\n", "\(refused.stderr)")
    }
}
