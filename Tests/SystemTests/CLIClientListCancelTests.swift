import Foundation
import Testing
import TestSupport

/// `qtq list`, `qtq cancel` and `qtq submit --wait` on a cancelled task, against GET /tasks and
/// POST /tasks/{id}/cancel.
@Suite(.serialized)
struct CLIClientListCancelTests {
    func write(_ source: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qtq-cli-\(UUID().uuidString).qasm")
        try source.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func submit(_ file: String, url: String) async throws -> String {
        let run = try await CLIRun.qtq(["submit", file, "--url", url])
        try #require(run.status == 0, "\(run.stderr)")
        return try #require(run.lines.first)
    }

    /// How many GET /tasks/{id} requests the API has answered 200, from its metrics.
    func completedTaskReads(_ http: HTTPTestClient) async throws -> Int {
        let text = String(decoding: try await http.send("GET", "metrics").body, as: UTF8.self)
        let prefix = #"qtq_http_requests_total{route="/tasks/{id}",method="GET",status="200"} "#
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
    }

    @Test func listShowsNewestFirstPagesAndFilters() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        defer { api.signal(SIGKILL) }
        let url = http.baseURL.absoluteString
        let file = try write(Circuits.x)
        var ids: [String] = []
        for _ in 0..<3 { ids.append(try await submit(file, url: url)) }

        let page = try await CLIRun.qtq(["list", "--limit", "2", "--url", url])
        #expect(page.status == 0, "\(page.stderr)")
        // A header, then the two newest.
        #expect(page.lines.first?.hasPrefix("TASK") == true)
        #expect(page.lines.dropFirst().map { String($0.prefix(36)) } == [ids[2], ids[1]], "\(page.stdout)")
        let cursor = try #require(page.stderr.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(page.stderr.hasPrefix("more: qtq list --cursor "))

        let rest = try await CLIRun.qtq(["list", "--limit", "2", "--cursor", cursor, "--url", url])
        #expect(rest.lines.dropFirst().map { String($0.prefix(36)) } == [ids[0]], "\(rest.stdout)")
        #expect(rest.stderr.isEmpty)

        let none = try await CLIRun.qtq(["list", "--status", "completed,failed", "--url", url])
        #expect(none.status == 0 && none.stdout == "no tasks\n", "\(none.stdout)")
        let pending = try await CLIRun.qtq(["list", "--status", "pending", "--status", "processing", "--json", "--url", url])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(pending.stdout.utf8)) as? [String: Any])
        #expect((body["tasks"] as? [[String: Any]])?.count == 3)

        let bad = try await CLIRun.qtq(["list", "--limit", "0", "--url", url])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("qtq: "), "\(bad.stderr)")
    }

    @Test func cancelStopsAPendingTaskAndRefusesAFinishedOne() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        defer { api.signal(SIGKILL) }
        let url = http.baseURL.absoluteString
        let file = try write(Circuits.x)
        let id = try await submit(file, url: url)

        let cancel = try await CLIRun.qtq(["cancel", id, "--url", url])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout == "Task \(id) is cancelled.\n")
        let status = try await CLIRun.qtq(["status", id, "--url", url])
        #expect(status.lines.contains { $0.hasPrefix("status") && $0.hasSuffix("cancelled") }, "\(status.stdout)")
        // Again: still cancelled, still 200.
        #expect(try await CLIRun.qtq(["cancel", id, "--url", url]).status == 0)

        let missing = UUID().uuidString.lowercased()
        let notFound = try await CLIRun.qtq(["cancel", missing, "--url", url])
        #expect(notFound.status == 1 && notFound.stderr == "qtq: Task \(missing) not found.\n", "\(notFound.stderr)")

        // A completed task cannot be cancelled: the 409's message, exit 1.
        let worker = try harness.startWorker(id: "cli-cancel")
        defer { worker.signal(SIGKILL) }
        let finished = try await submit(file, url: url)
        let record = try await harness.waitFor(try #require(UUID(uuidString: finished)), status: [.completed, .failed])
        #expect(record?.status == .completed)
        let refused = try await CLIRun.qtq(["cancel", finished, "--url", url])
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix("qtq: ") && refused.stderr.hasSuffix(".\n"), "\(refused.stderr)")
    }

    @Test func submitWaitEndsAsSoonAsItsTaskIsCancelled() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        defer { api.signal(SIGKILL) }
        let url = http.baseURL.absoluteString

        // No worker: the task stays pending while `submit --wait` long-polls, until it is cancelled.
        async let waited = CLIRun.qtq(["submit", try write(Circuits.x), "--wait", "--url", url])
        var id: String?
        let submitted = try await eventually(timeout: .seconds(20)) {
            let tasks = try await http.send("GET", "tasks").json?["tasks"] as? [[String: Any]]
            id = tasks?.first?["task_id"] as? String
            return id != nil
        }
        try #require(submitted)
        let taskID = try #require(id)
        // A long poll, not a polling loop: for a whole second no GET /tasks/{id} completes (the one in flight
        // is held by the server).
        let holdUntil = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < holdUntil {
            #expect(try await completedTaskReads(http) == 0)
            try await Task.sleep(for: .milliseconds(100))
        }
        let cancelledAt = ContinuousClock.now
        let cancel = try await CLIRun.qtq(["cancel", taskID, "--url", url])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        let result = try await waited
        // Well before the 30 s long poll would have ended by itself.
        #expect(ContinuousClock.now - cancelledAt < .seconds(10))
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "qtq: Task \(taskID) was cancelled.\n", "\(result.stderr)")
    }
}
