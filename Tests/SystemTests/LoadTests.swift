import Foundation
import Logging
import PostgresNIO
import TaskQueue
import Testing
import TestSupport

/// The batched paths under concurrent load, through the real API and real worker processes.
@Suite struct LoadTests {
    @Test func tenThousandConcurrentSubmissionsAreEachCompletedExactlyOnce() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        let workers = try (1...3).map { try harness.startWorker(id: "load-\($0)", concurrency: 2) }
        defer { ([api] + workers).forEach { $0.signal(SIGKILL) } }
        #expect(try await harness.waitForListeners(3))

        let idsFile = FileManager.default.temporaryDirectory.appendingPathComponent("qtq-load-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: idsFile) }
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["qc": Circuits.bell, "shots": 100]), as: UTF8.self)
        let report = try await LoadGenerator.run([
            "--port", "\(http.baseURL.port ?? 0)", "--connections", "64", "--requests", "10000", "--body", body,
            "--ids-file", idsFile.path,
        ])
        let statuses = report["statuses"] as? [String: Int] ?? [:]
        #expect(statuses == ["202": 10_000], "answers: \(statuses); API log tail:\n\(api.log.suffix(3000))")
        let accepted = try String(contentsOf: idsFile, encoding: .utf8).split(separator: "\n").compactMap { UUID(uuidString: String($0)) }
        #expect(accepted.count == 10_000 && Set(accepted).count == 10_000)

        let allDone = try await eventually(timeout: .seconds(300), every: .milliseconds(250)) {
            let stats = try await harness.withStore { try await $0.stats() }
            return stats.completed + stats.failed >= accepted.count
        }
        #expect(allDone, "workers' logs:\n\(workers.map(\.log).joined().suffix(4000))")

        let (stored, wellFormed, completed) = try await harness.database.withClient { client in
            let rows = try await client.query("""
                WITH accepted AS (SELECT unnest(\(accepted)::uuid[]) AS task_id),
                lives AS (
                    SELECT t.task_id, t.current_status,
                           array_agg(h.status::text ORDER BY h.transitioned_at, h.id) AS steps,
                           bool_and(h.transitioned_at >= t.submitted_at) AS in_order
                    FROM accepted a JOIN tasks t USING (task_id) JOIN status_history h USING (task_id)
                    GROUP BY t.task_id, t.current_status
                )
                SELECT count(*)::int,
                       count(*) FILTER (WHERE steps = ARRAY['pending', 'processing', 'completed'] AND in_order)::int,
                       count(*) FILTER (WHERE current_status = 'completed')::int
                FROM lives
                """, logger: harness.logger)
            for try await row in rows.decode((Int, Int, Int).self) { return row }
            return (0, 0, 0)
        }
        // Every 202 is a stored task, completed once, with exactly one pending, processing and completed row in order.
        #expect(stored == 10_000)
        #expect(wellFormed == 10_000)
        #expect(completed == 10_000)
        let total = try await harness.withStore { try await $0.stats() }
        #expect(total.pending + total.processing + total.completed + total.failed == 10_000)
    }
}

/// The `qtq-load` binary built next to `qtq` (scripts/test builds both).
enum LoadGenerator {
    static func run(_ arguments: [String], timeout: Duration = .seconds(300)) async throws -> [String: Any] {
        let binary = try QTQProcess.binary.deletingLastPathComponent().appendingPathComponent("qtq-load")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw TestSetupError("\(binary.path) is missing: build it with `swift build --product qtq-load`.")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("qtq-load-\(UUID().uuidString).json")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        let finished = await eventually(timeout: timeout, every: .milliseconds(100)) { !process.isRunning }
        guard finished, process.terminationStatus == 0 else {
            process.terminate()
            throw TestSetupError("qtq-load failed (status \(process.terminationStatus))")
        }
        let data = try Data(contentsOf: output)
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}
