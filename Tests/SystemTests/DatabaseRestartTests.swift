import Foundation
import TaskQueue
import Testing
import TestSupport

/// PostgreSQL going away and coming back under a running API and worker (a server of the test's own).
@Suite(.serialized) struct DatabaseRestartTests {
    @Test func healthReportsOutageWithinTwoSecondsAndRecovers() async throws {
        let postgres = try PrivatePostgres.start()
        defer { postgres.destroy() }
        let harness = try await Harness.make(on: try postgres.serverURL)
        let (api, http) = try await harness.startAPI()
        defer { api.signal(SIGKILL) }

        try postgres.stop()
        // Once the LISTEN connection notices, health turns 503; every answer must come within 2 s.
        var sawOutage = false
        let deadline = ContinuousClock.now + .seconds(20)
        while !sawOutage && ContinuousClock.now < deadline {
            let started = ContinuousClock.now
            let health = try await http.send("GET", "health")
            #expect(ContinuousClock.now - started < .seconds(2))
            if health.status == 503 {
                sawOutage = true
                #expect(health.json?["status"] as? String == "unhealthy")
                #expect(health.json?["database_status"] as? String == "disconnected")
            }
        }
        #expect(sawOutage)

        try postgres.start()
        let recovered = await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            let health = try? await http.send("GET", "health")
            return health?.status == 200 && health?.json?["queue_status"] as? String == "connected"
        }
        #expect(recovered, "api log:\n\(api.log.suffix(3000))")
    }

    @Test func workerReconnectsAfterRestartAndRunsNewTasks() async throws {
        let postgres = try PrivatePostgres.start()
        defer { postgres.destroy() }
        let harness = try await Harness.make(on: try postgres.serverURL)
        let worker = try harness.startWorker(id: "phoenix")
        defer { worker.signal(SIGKILL) }
        #expect(try await harness.waitForListeners(1))

        try postgres.stop()
        try postgres.start()
        let id = try await harness.withStore { try await $0.submit(circuit: Circuits.x, shots: 7, correlationID: nil) }.id
        let done = try await harness.waitFor(id, status: [.completed, .failed], timeout: .seconds(60))
        #expect(done?.result?.counts == ["1": 7], "worker log:\n\(worker.log.suffix(3000))")
        #expect(worker.process.isRunning)
    }
}
