import Foundation
import TaskQueue
import Testing
import TestSupport

/// Workers dying or being asked to stop: nothing is lost, nothing runs twice to completion.
@Suite(.serialized) struct ResilienceTests {
    /// Submits a slow task and waits until `worker` holds it. The engine keeps getting faster, so the
    /// circuit grows until the task is still running when we look.
    func slowTaskHeld(by workerID: String, harness: Harness, startLayers: Int = 12) async throws -> UUID? {
        var layers = startLayers
        for _ in 0..<5 {
            let circuit = Circuits.slow(qubits: 20, layers: layers)
            let id = try await harness.withStore {
                try await $0.submit(circuit: circuit, shots: 10, correlationID: "slow")
            }.id
            let seen = try await harness.waitFor(id, status: [.processing, .completed, .failed], timeout: .seconds(30))
            if seen?.status == .processing, seen?.lockedBy == workerID { return id }
            // Too fast (or never picked up): let it finish, then try a bigger circuit.
            _ = try await harness.waitFor(id, status: [.completed, .failed], timeout: .seconds(120))
            layers *= 2
        }
        return nil
    }

    @Test func sigkilledWorkersTaskCompletesOnceAfterLeaseExpires() async throws {
        let harness = try await Harness.make()
        let victim = try harness.startWorker(id: "victim", concurrency: 1, lease: 2)
        defer { victim.signal(SIGKILL) }
        #expect(try await harness.waitForListeners(1))
        let id = try #require(try await slowTaskHeld(by: "victim", harness: harness), "log:\n\(victim.log)")

        victim.signal(SIGKILL)
        #expect(await victim.waitForExit(timeout: .seconds(10)) != nil)
        let rescuer = try harness.startWorker(id: "rescuer", concurrency: 1, lease: 2)
        defer { rescuer.signal(SIGKILL) }

        let done = try #require(try await harness.waitFor(id, status: [.completed, .failed], timeout: .seconds(180)))
        #expect(done.status == .completed, "rescuer log:\n\(rescuer.log)")
        #expect(done.result?.counts.values.reduce(0, +) == 10)
        let statuses = done.history.map(\.status)
        #expect(statuses == [.pending, .processing, .pending, .processing, .completed])
        #expect(done.history.map(\.workerID) == [nil, "victim", nil, "rescuer", "rescuer"])
        #expect(done.history[2].notes == "lease expired, requeued")
        #expect(done.attempts == 2)
    }

    @Test func sigtermDrainsRunningTaskAndExitsZero() async throws {
        let harness = try await Harness.make()
        let worker = try harness.startWorker(id: "drainer", concurrency: 1, grace: 120)
        defer { worker.signal(SIGKILL) }
        #expect(try await harness.waitForListeners(1))
        let running = try #require(try await slowTaskHeld(by: "drainer", harness: harness), "log:\n\(worker.log)")
        // Queued behind the running one; a draining worker must not start it.
        let waiting = try await harness.withStore { try await $0.submit(circuit: Circuits.x, shots: 5, correlationID: nil) }.id

        worker.signal(SIGTERM)
        let status = await worker.waitForExit(timeout: .seconds(150))
        #expect(status == 0, "log:\n\(worker.log)")
        #expect(try await harness.task(running)?.status == .completed)
        #expect(try await harness.task(waiting)?.status == .pending)
    }

    @Test func sigtermPastGracePeriodPutsTaskBack() async throws {
        let harness = try await Harness.make()
        let worker = try harness.startWorker(id: "impatient", concurrency: 1, grace: 0)
        defer { worker.signal(SIGKILL) }
        #expect(try await harness.waitForListeners(1))
        // 16 layers: long enough to be running when SIGTERM lands (grace 0 interrupts it at once), short enough for
        // the successor to run it again in a debug build of the generic engine on a busy machine.
        let id = try #require(try await slowTaskHeld(by: "impatient", harness: harness, startLayers: 16), "log:\n\(worker.log)")

        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(60)) == 0, "log:\n\(worker.log)")
        let task = try #require(try await harness.task(id))
        #expect(task.status == .pending)
        #expect(task.attempts == 0)
        #expect(task.history.last?.notes == "worker shutting down, requeued")

        // Another worker picks it up and finishes it.
        let next = try harness.startWorker(id: "successor", concurrency: 1)
        defer { next.signal(SIGKILL) }
        let done = try await harness.waitFor(id, status: [.completed, .failed], timeout: .seconds(180))
        #expect(done?.status == .completed)
    }

    @Test func longTaskKeepsItsLeaseAlive() async throws {
        let harness = try await Harness.make()
        let worker = try harness.startWorker(id: "marathon", concurrency: 1, lease: 1)
        defer { worker.signal(SIGKILL) }
        #expect(try await harness.waitForListeners(1))
        // Grow the circuit until one run outlasts the 1 s lease several times over.
        var layers = 40
        var outlasted = false
        while !outlasted && layers <= 40 * 64 {
            let circuit = Circuits.slow(qubits: 20, layers: layers)
            let id = try await harness.withStore { try await $0.submit(circuit: circuit, shots: 3, correlationID: nil) }.id
            let done = try #require(try await harness.waitFor(id, status: [.completed, .failed], timeout: .seconds(240)))
            #expect(done.status == .completed)
            #expect(done.history.map(\.status) == [.pending, .processing, .completed], "worker log:\n\(worker.log.suffix(2000))")
            #expect(done.attempts == 1)
            outlasted = try seconds(from: done.startedAt, to: done.completedAt) > 3
            layers *= 4
        }
        #expect(outlasted)
    }

    func seconds(from start: String?, to end: String?) throws -> Double {
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let startDate = try format.parse(try #require(start))
        let endDate = try format.parse(try #require(end))
        return endDate.timeIntervalSince(startDate)
    }
}
