import Foundation
import PostgresNIO
import TaskQueue
import Testing
import TestSupport

/// The whole path over real sockets: HTTP → API process → PostgreSQL → worker processes → result.
@Suite(.serialized) struct EndToEndTests {
    @Test func bellAndXThroughTheAPI() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        let worker = try harness.startWorker(id: "e2e-worker")
        defer { api.signal(SIGKILL); worker.signal(SIGKILL) }

        let bell = try await http.send("POST", "tasks", json: ["qc": Circuits.bell, "shots": 1000])
        #expect(bell.status == 202)
        let bellID = try #require(bell.taskID)
        #expect(bell.headers["location"] == "/tasks/\(bellID.uuidString.lowercased())")
        let x = try await http.send("POST", "tasks", json: ["qc": Circuits.x])
        let xID = try #require(x.taskID)

        let bellDone = try await harness.waitFor(bellID, status: [.completed, .failed])
        let bellResult = try #require(bellDone?.result, "log:\n\(worker.log)")
        #expect(Set(bellResult.counts.keys).isSubset(of: ["00", "11"]))
        #expect(bellResult.counts.values.reduce(0, +) == 1000)
        #expect((bellResult.counts["00"] ?? 0) > 350 && (bellResult.counts["11"] ?? 0) > 350)

        let xDone = try await harness.waitFor(xID, status: [.completed, .failed])
        #expect(xDone?.result?.counts == ["1": 1024])

        // The API shows the finished task with its history in time order.
        let shown = try await http.send("GET", "tasks/\(bellID.uuidString.lowercased())")
        #expect(shown.status == 200)
        #expect(shown.json?["status"] as? String == "completed")
        #expect(shown.json?["message"] as? String == "Task completed successfully.")
        let result = try #require(shown.json?["result"] as? [String: Any])
        #expect(result["shots"] as? Int == 1000)
        #expect(result["success"] as? Bool == true)
        let history = try #require(shown.json?["status_history"] as? [[String: Any]])
        #expect(history.compactMap { $0["status"] as? String } == ["pending", "processing", "completed"])
        let times = history.compactMap { $0["transitioned_at"] as? String }
        #expect(times == times.sorted())
    }

    /// A single-precision task: stored with its precision, run in complex64 by a worker, and its result says so.
    @Test func singlePrecisionTaskThroughTheAPI() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        let worker = try harness.startWorker(id: "e2e-single")
        defer { api.signal(SIGKILL); worker.signal(SIGKILL) }

        let single = try await http.send("POST", "tasks", json: ["qc": Circuits.bell, "shots": 2000, "precision": "single"])
        #expect(single.status == 202)
        let id = try #require(single.taskID)
        let done = try await harness.waitFor(id, status: [.completed, .failed])
        let result = try #require(done?.result, "log:\n\(worker.log)")
        #expect(result.precision == .single)
        #expect(Set(result.counts.keys) == ["00", "11"])
        #expect(result.counts.values.reduce(0, +) == 2000)
        #expect((result.counts["00"] ?? 0) > 800 && (result.counts["11"] ?? 0) > 800)
        let shown = try await http.send("GET", "tasks/\(id.uuidString.lowercased())")
        #expect(shown.json?["precision"] as? String == "single")
        #expect((shown.json?["result"] as? [String: Any])?["precision"] as? String == "single")

        let plain = try #require(try await http.send("POST", "tasks", json: ["qc": Circuits.x]).taskID)
        let plainDone = try await harness.waitFor(plain, status: [.completed, .failed])
        #expect(plainDone?.result?.precision == .double)
        #expect(plainDone?.result?.counts == ["1": 1024])
    }

    @Test func gateAngleChosenByAMeasurementThroughTheAPI() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        let worker = try harness.startWorker(id: "e2e-runtime-angle")
        defer { api.signal(SIGKILL); worker.signal(SIGKILL) }

        // rx(pi) flips q[1] exactly when q[0] was measured 1; rx(0) leaves it: only "00" and "11" can occur.
        let source = """
            OPENQASM 3.0;
            include "stdgates.inc";
            qubit[2] q;
            bit[2] c;
            h q[0];
            c[0] = measure q[0];
            float[64] theta = 0;
            if (c[0]) theta = pi;
            rx(theta) q[1];
            c[1] = measure q[1];
            """
        let submitted = try await http.send("POST", "tasks", json: ["qc": source, "shots": 2000])
        let id = try #require(submitted.taskID)
        let done = try await harness.waitFor(id, status: [.completed, .failed])
        let counts = try #require(done?.result?.counts, "log:\n\(worker.log)")
        #expect(Set(counts.keys) == ["00", "11"])
        #expect(counts.values.reduce(0, +) == 2000)
        #expect((counts["11"] ?? 0) > 800 && (counts["00"] ?? 0) > 800)
    }

    @Test func invalidCircuitFailsWithLineAndColumn() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        let worker = try harness.startWorker(id: "e2e-invalid")
        defer { api.signal(SIGKILL); worker.signal(SIGKILL) }

        let source = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nh q[0];\nfoo q[1];\n"
        let submitted = try await http.send("POST", "tasks", json: ["qc": source])
        #expect(submitted.status == 202)
        let id = try #require(submitted.taskID)
        let done = try await harness.waitFor(id, status: [.completed, .failed])
        #expect(done?.status == .failed)
        #expect(done?.failure?.line == 5)
        #expect(done?.failure?.column == 1)

        let shown = try await http.send("GET", "tasks/\(id.uuidString.lowercased())")
        #expect(shown.json?["status"] as? String == "failed")
        #expect(shown.json?["message"] as? String == "Task execution failed.")
        let error = try #require(shown.json?["error"] as? [String: Any])
        #expect(error["line"] as? Int == 5)
        #expect(error["column"] as? Int == 1)
        #expect((error["message"] as? String)?.contains("foo") == true)
    }

    @Test func threeHundredTasksAcrossThreeWorkersCompleteExactlyOnce() async throws {
        let harness = try await Harness.make()
        let workers = try (1...3).map { try harness.startWorker(id: "fleet-\($0)", concurrency: 2) }
        defer { workers.forEach { $0.signal(SIGKILL) } }
        #expect(try await harness.waitForListeners(3))

        let ids = try await harness.withStore { store in
            var ids: [UUID] = []
            for index in 0..<300 {
                ids.append(try await store.submit(
                    circuit: index.isMultiple(of: 2) ? Circuits.bell : Circuits.x, shots: 100, correlationID: "fleet-\(index)"
                ).id)
            }
            return ids
        }
        let allDone = try await eventually(timeout: .seconds(180), every: .milliseconds(200)) {
            try await harness.withStore { try await $0.stats() }.completed == 300
        }
        #expect(allDone, "workers' logs:\n\(workers.map(\.log).joined().suffix(4000))")

        let rows = try await harness.database.withClient { client in
            let rows = try await client.query("""
                SELECT t.task_id,
                       count(*) FILTER (WHERE h.status = 'processing'),
                       count(*) FILTER (WHERE h.status = 'completed'),
                       max(h.worker_id) FILTER (WHERE h.status = 'completed')
                FROM tasks t JOIN status_history h USING (task_id)
                GROUP BY t.task_id
                """, logger: harness.logger)
            var result: [(UUID, Int, Int, String?)] = []
            for try await row in rows.decode((UUID, Int, Int, String?).self) { result.append(row) }
            return result
        }
        #expect(rows.count == 300)
        #expect(Set(rows.map(\.0)) == Set(ids))
        #expect(rows.allSatisfy { $0.1 == 1 && $0.2 == 1 })
        let perWorker = Dictionary(grouping: rows.compactMap(\.3), by: { $0 }).mapValues(\.count)
        #expect(Set(perWorker.keys) == ["fleet-1", "fleet-2", "fleet-3"], "tasks per worker: \(perWorker)")
    }

    @Test func seededTasksReproduceCounts() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        let worker = try harness.startWorker(id: "seeded")
        defer { api.signal(SIGKILL); worker.signal(SIGKILL) }

        var results: [TaskResult] = []
        for _ in 0..<2 {
            let submitted = try await http.send("POST", "tasks", json: ["qc": Circuits.bell, "shots": 999, "seed": 42])
            let id = try #require(submitted.taskID)
            let done = try await harness.waitFor(id, status: [.completed, .failed])
            results.append(try #require(done?.result))
        }
        #expect(results[0].counts == results[1].counts)
        #expect(results[0].seed == 42)
    }
}
