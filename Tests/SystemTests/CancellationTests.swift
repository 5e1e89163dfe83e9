import Foundation
import Logging
import PostgresNIO
import TaskQueue
import Testing
import TestSupport

/// Cancelling a task a real worker is running: `POST /tasks/{id}/cancel` through a real API process.
@Suite(.serialized) struct CancellationTests {
    /// Minutes of work: only a cancellation ends it in time.
    static let endless = Circuits.slow(qubits: 20, layers: 200_000)

    @Test func aRunningTaskIsStoppedByItsWorkerAndEndsCancelled() async throws {
        let harness = try await Harness.make()
        let worker = try harness.startWorker(id: "runner", concurrency: 1)
        defer { worker.signal(SIGKILL) }
        let (api, client) = try await harness.startAPI()
        defer { api.signal(SIGKILL) }
        #expect(try await harness.waitForListeners(2))

        let id = try #require(try await client.send("POST", "tasks", json: ["qc": Self.endless, "shots": 10]).taskID)
        let running = try await harness.waitFor(id, status: [.processing], timeout: .seconds(30))
        #expect(running?.status == .processing, "log:\n\(worker.log)")

        let requested = ContinuousClock.now
        let answer = try await client.send("POST", "tasks/\(id.uuidString.lowercased())/cancel")
        #expect(answer.status == 202)
        let done = try #require(try await harness.waitFor(id, status: [.cancelled, .completed, .failed], timeout: .seconds(30)))
        let stoppedAfter = ContinuousClock.now - requested
        #expect(done.status == .cancelled, "log:\n\(worker.log)")
        // "Within a second" on an idle machine; the bound leaves room for a loaded one.
        #expect(stoppedAfter < .seconds(5), "took \(stoppedAfter)")
        #expect(done.history.map(\.status) == [.pending, .processing, .cancelled])
        #expect(done.history.last?.workerID == "runner")
        #expect(done.result == nil)
        #expect(worker.log.contains("Task cancelled by request; stopping it"))

        // The slot is free again: the next task runs.
        let next = try #require(try await client.send("POST", "tasks", json: ["qc": Circuits.bell, "shots": 10]).taskID)
        #expect(try await harness.waitFor(next, status: [.completed, .failed], timeout: .seconds(30))?.status == .completed)
        // And a cancelled task is never picked up again.
        #expect(try await harness.task(id)?.status == .cancelled)
    }

    /// A worker that missed the notification sees the cancellation when it renews the lease.
    @Test func aMissedNotificationIsMadeUpByLeaseRenewal() async throws {
        let harness = try await Harness.make()
        let worker = try harness.startWorker(id: "renewer", concurrency: 1, lease: 1.5)
        defer { worker.signal(SIGKILL) }
        #expect(try await harness.waitForListeners(1))
        let id = try await harness.withStore { try await $0.submit(circuit: Self.endless, shots: 10, correlationID: nil) }.id
        #expect(try await harness.waitFor(id, status: [.processing], timeout: .seconds(30))?.status == .processing)

        // Marked as the API would, but without the notification.
        _ = try await harness.database.withClient { client in
            try await client.query("UPDATE tasks SET cancel_requested_at = now() WHERE task_id = \(id)")
        }
        let done = try await harness.waitFor(id, status: [.cancelled, .completed, .failed], timeout: .seconds(30))
        #expect(done?.status == .cancelled, "log:\n\(worker.log)")
    }
}

/// A worker with a short `QTQ_RETENTION` deletes finished tasks on its own.
@Suite struct RetentionWorkerTests {
    @Test func finishedTasksDisappearAfterTheRetentionAge() async throws {
        let harness = try await Harness.make()
        let worker = try harness.startWorker(id: "cleaner", concurrency: 1, extra: [
            "QTQ_RETENTION": "1s", "QTQ_RETENTION_INTERVAL_SECONDS": "0.5",
        ])
        defer { worker.signal(SIGKILL) }
        #expect(try await harness.waitForListeners(1))
        let id = try await harness.withStore { try await $0.submit(circuit: Circuits.bell, shots: 10, correlationID: nil) }.id
        let done = try await harness.waitFor(id, status: [.completed, .failed], timeout: .seconds(30))
        #expect(done?.status == .completed)
        let gone = try await eventually(timeout: .seconds(20)) { try await harness.task(id) == nil }
        #expect(gone, "log:\n\(worker.log)")
        #expect(worker.log.contains("Old finished tasks deleted"))
    }
}
