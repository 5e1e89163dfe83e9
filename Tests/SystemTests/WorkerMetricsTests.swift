import Foundation
import TaskWorker
import TaskQueue
import Testing
import TestSupport

/// `qtq work` with `QTQ_METRICS_PORT` serves Prometheus metrics about its own work.
@Suite struct WorkerMetricsTests {
    @Test func aWorkerCountsWhatItDid() async throws {
        let harness = try await Harness.make()
        let port = try freePort()
        let worker = try harness.startWorker(id: "measured", concurrency: 2, extra: [
            "QTQ_METRICS_PORT": "\(port)", "QTQ_METRICS_HOST": "127.0.0.1",
        ])
        defer { worker.signal(SIGKILL) }
        #expect(try await harness.waitForListeners(1))
        var ids: [UUID] = []
        for circuit in [Circuits.bell, Circuits.bell, Circuits.x, "OPENQASM 3.0; qubit q; nope q;"] {
            ids.append(try await harness.withStore { try await $0.submit(circuit: circuit, shots: 10, correlationID: nil) }.id)
        }
        for id in ids {
            _ = try await harness.waitFor(id, status: [.completed, .failed], timeout: .seconds(30))
        }
        let client = HTTPTestClient(port: port)
        // Outcomes are counted once their commit is acknowledged, just after the rows change.
        var text = ""
        let counted = try await eventually(timeout: .seconds(10)) {
            text = String(decoding: try await client.send("GET", "metrics").body, as: UTF8.self)
            return text.contains(#"qtq_worker_tasks_finished_total{outcome="failed"} 1"#)
        }
        #expect(counted, "metrics:\n\(text)")
        #expect(text.contains("qtq_worker_tasks_claimed_total 4"))
        #expect(text.contains(#"qtq_worker_claims_total{result="tasks"} "#) && text.contains(#"qtq_worker_claims_total{result="empty"} "#))
        #expect(text.contains(#"qtq_worker_tasks_finished_total{outcome="completed"} 3"#))
        #expect(text.contains(#"qtq_worker_tasks_finished_total{outcome="cancelled"} 0"#))
        #expect(text.contains("qtq_worker_task_run_seconds_count 4"))
        #expect(text.contains("qtq_worker_queue_wait_seconds_count 4"))
        #expect(text.contains("qtq_worker_retries_total 0"))
        #expect(text.contains("qtq_worker_busy_slots 0"))
    }
}

/// Without DATABASE_URL, qtq reads libpq's PG* variables (compose passes the password that way, unencoded).
@Suite struct LibpqEnvironmentTests {
    @Test func migrateConnectsWithPGVariables() async throws {
        let harness = try await Harness.make()
        let url = harness.database.url
        let process = try QTQProcess(["migrate"], environment: [
            "DATABASE_URL": "", "PGHOST": url.host, "PGPORT": "\(url.port)", "PGUSER": url.username,
            "PGPASSWORD": url.password ?? "", "PGDATABASE": harness.database.name,
        ])
        let status = await process.waitForExit(timeout: .seconds(60))
        #expect(status == 0, "log:\n\(process.log)")
    }
}

/// `qtq healthcheck URL`, as container healthchecks run it.
@Suite struct HealthcheckCommandTests {
    @Test func healthyOnlyWhenTheURLAnswers2xx() async throws {
        let harness = try await Harness.make()
        let (api, client) = try await harness.startAPI()
        defer { api.signal(SIGKILL) }
        let base = client.baseURL.absoluteString
        let ready = try await CLIRun.qtq(["healthcheck", base + "/readyz"])
        #expect(ready.status == 0, "\(ready.stderr)")
        let missing = try await CLIRun.qtq(["healthcheck", base + "/nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("answered 404"))
        let closed = try await CLIRun.qtq(["healthcheck", "http://127.0.0.1:\(try freePort())/readyz", "--timeout", "2"])
        #expect(closed.status == 1)
        #expect(closed.stderr.hasPrefix("unhealthy:"))
        let bad = try await CLIRun.qtq(["healthcheck", "localhost:8001"])
        #expect(bad.status == 64)
    }
}

/// A worker whose engine was compiled for more than the CPU offers refuses to start, before claiming anything.
@Suite struct CPUFeatureCheckTests {
    @Test func theCheckComparesWhatTheBuildNeedsWithWhatTheCPUHas() {
        #expect(CPUFeatures.missing(required: ["avx2", "fma"], present: ["sse2", "avx2"]) == ["fma"])
        #expect(CPUFeatures.missing(required: ["avx2"], present: nil).isEmpty)
        // This machine built the test binary with -target-cpu native, so it has everything required.
        #expect(CPUFeatures.missing().isEmpty)
    }

    @Test func aWorkerOnAnOlderCPURefusesToStartAndClaimsNothing() async throws {
        guard !CPUFeatures.required.isEmpty else { return }  // a generic build needs nothing to refuse over
        let harness = try await Harness.make()
        let id = try await harness.withStore { try await $0.submit(circuit: Circuits.bell, shots: 10, correlationID: nil) }.id
        let cpuinfo = FileManager.default.temporaryDirectory.appendingPathComponent("cpuinfo-\(UUID().uuidString)")
        try "processor\t: 0\nflags\t\t: fpu sse sse2\n".write(to: cpuinfo, atomically: true, encoding: .utf8)
        let worker = try harness.startWorker(id: "old-cpu", extra: ["QTQ_CPUINFO_PATH": cpuinfo.path])
        let status = await worker.waitForExit(timeout: .seconds(30))
        #expect(status == 70, "log:\n\(worker.log)")
        #expect(worker.log.contains("this CPU lacks"))
        #expect(try await harness.task(id)?.status == .pending)
    }
}
