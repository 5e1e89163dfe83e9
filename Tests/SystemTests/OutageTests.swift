import Foundation
import TaskQueue
import Testing
import TestSupport

/// A PostgreSQL outage longer than the lease must not cost a live worker its task (issue: the first sweeper
/// after the outage requeued every running task, workers dropped finished work, and tasks failed on their
/// third attempt although no worker had died). Part of the serialized DatabaseRestartTests suite: starting and
/// stopping a private server blocks a thread of the test process, and two at once would starve the other tests.
extension DatabaseRestartTests {
    @Test func anOutageLongerThanTheLeaseKeepsTasksWithTheirLiveWorkers() async throws {
        let postgres = try PrivatePostgres.start()
        defer { postgres.destroy() }
        let harness = try await Harness.make(on: try postgres.serverURL)
        // Two workers with a 2 s lease; the outage below lasts 7 s, more than lease + grace (3 s) twice over.
        let workers = try ["steady-1", "steady-2"].map { try harness.startWorker(id: $0, concurrency: 1, lease: 2) }
        defer { workers.forEach { $0.signal(SIGKILL) } }
        #expect(try await harness.waitForListeners(2))

        // A few tasks long enough to be caught running, one per worker and some queued. 20 layers take ~1 s in a
        // release build and ~20 s in the debug build the tests use: long enough to span the outage, short enough for
        // four of them on two workers to finish within the deadline below on a loaded machine.
        let circuit = Circuits.slow(qubits: 20, layers: 20)
        var ids: [UUID] = []
        for _ in 0..<4 {
            ids.append(try await harness.withStore { try await $0.submit(circuit: circuit, shots: 5, correlationID: "outage") }.id)
        }
        let running = try await eventually(timeout: .seconds(60)) {
            try await harness.withStore { try await $0.stats() }.processing >= 2
        }
        #expect(running)

        try postgres.stop()  // immediate: a crash
        // The fault itself lasts a fixed time; nothing is being waited for here.
        try await Task.sleep(for: .seconds(7))
        try postgres.start()

        for id in ids {
            let done = try #require(try await harness.waitFor(id, status: [.completed, .failed], timeout: .seconds(240)))
            #expect(done.status == .completed, "workers' logs:\n\(workers.map(\.log).joined().suffix(4000))")
            // Claimed once, completed once, by the same worker: no requeue although the lease ran out meanwhile.
            #expect(done.attempts == 1, "history: \(done.history)\nlogs:\n\(workers.map { $0.log.split(separator: "\n").filter { !$0.contains("Task completed") }.joined(separator: "\n") }.joined(separator: "\n----\n").suffix(12000))")
            #expect(done.history.map(\.status) == [.pending, .processing, .completed])
            #expect(done.history[1].workerID == done.history[2].workerID)
        }
        #expect(workers.allSatisfy { $0.process.isRunning })
    }
}
