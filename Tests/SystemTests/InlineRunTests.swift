import Foundation
import PostgresNIO
@testable import TaskQueue
import Testing
import TestSupport
@testable import TaskWorker

/// Small tasks run inside their claim's transaction, but only circuits the worker has already run to the end:
/// a circuit that crashed the worker there would roll back its attempt and crash every worker after it.
@Suite(.serialized) struct InlineRunTests {
    /// Whether the task's `processing` and final history rows were written by one transaction (inline) or two.
    static func ranInline(_ id: UUID, harness: Harness) async throws -> Bool {
        try await harness.withStore { store in
            let rows = try await store.client.query("""
                SELECT count(DISTINCT xmin::text)::int FROM status_history
                WHERE task_id = \(id) AND status <> 'pending'
                """, logger: harness.logger)
            for try await distinct in rows.decode(Int.self) { return distinct == 1 }
            return false
        }
    }

    @Test func aCircuitRunsInsideItsClaimOnlyOnceTheWorkerHasRunItToTheEnd() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        // 2 s instead of 2 ms: the tests run a debug build (10-50 times slower than release) on a loaded machine, and a
        // Bell run slower than the limit would (rightly) never be proven. The wide circuit below stays out anyway:
        // its state is larger than inline runs may allocate.
        let worker = try harness.startWorker(id: "inline-worker", extra: ["QTQ_INLINE_RUN_MILLISECONDS": "2000"])
        defer { api.signal(SIGKILL); worker.signal(SIGKILL) }

        func run(_ source: String, shots: Int = 1000) async throws -> (TaskRecord, inline: Bool) {
            let submitted = try await http.send("POST", "tasks", json: ["qc": source, "shots": shots])
            let id = try #require(submitted.taskID, "\(submitted.status)")
            let done = try #require(try await harness.waitFor(id, status: [.completed, .failed], timeout: .seconds(180)))
            // A task still running when the wait gives up has one non-pending row, which would read as inline.
            try #require([.completed, .failed].contains(done.status), "still \(done.status) after 180 s; log:\n\(worker.log)")
            return (done, try await Self.ranInline(id, harness: harness))
        }

        // New to this worker: the slot threads run it (claim and result in two transactions).
        let first = try await run(Circuits.bell)
        #expect(first.0.status == .completed)
        #expect(!first.inline)
        // The same circuit and shots again: inline, one transaction, and the same history and result shape.
        let second = try await run(Circuits.bell)
        #expect(second.0.status == .completed)
        #expect(second.inline)
        #expect(second.0.attempts == 1)
        #expect(second.0.history.map(\.status) == [.pending, .processing, .completed])
        #expect(second.0.history.map(\.workerID) == [nil, "inline-worker", "inline-worker"])
        #expect(second.0.result?.counts.values.reduce(0, +) == 1000)
        // Other shots: a different task as far as the proof goes.
        #expect(try await run(Circuits.bell, shots: 999).inline == false)

        // A failure that is final (a compile error) proves the circuit safe too; its position is kept.
        let broken = "OPENQASM 3.0;\nqubit q;\nfoo q;\n"
        #expect(try await run(broken).inline == false)
        let brokenAgain = try await run(broken)
        #expect(brokenAgain.inline)
        #expect(brokenAgain.0.status == .failed)
        #expect(brokenAgain.0.failure?.line == 3)

        // A circuit past the inline limits (21 qubits: 32 MiB of state in double precision, over the 16 MiB inline runs
        // may use) stays on the slots, however often it runs. One layer: a 21-qubit run in a debug build on a busy
        // machine takes tens of seconds per layer.
        let slow = Circuits.slow(qubits: 21, layers: 1)
        for _ in 0..<2 {
            let (record, inline) = try await run(slow, shots: 10)
            #expect(!inline, "\(record.status) \(record.failure.map { "\($0)" } ?? ""): \(record.history)\nlog:\n\(worker.log)")
        }
    }

    @Test func withInlineRunningOffEveryTaskGoesToTheSlots() async throws {
        let harness = try await Harness.make()
        let (api, http) = try await harness.startAPI()
        let worker = try harness.startWorker(id: "no-inline", extra: ["QTQ_INLINE_RUN_MILLISECONDS": "0"])
        defer { api.signal(SIGKILL); worker.signal(SIGKILL) }
        for _ in 0..<3 {
            let submitted = try await http.send("POST", "tasks", json: ["qc": Circuits.bell])
            let id = try #require(submitted.taskID)
            #expect(try await harness.waitFor(id, status: [.completed])?.status == .completed, "log:\n\(worker.log)")
            #expect(try await Self.ranInline(id, harness: harness) == false)
        }
    }
}

/// The bookkeeping behind it, without processes.
@Suite struct ProvenCircuitsTests {
    static func task(_ source: String, shots: Int = 10) -> ClaimedTask {
        ClaimedTask(id: UUID(), circuit: source, shots: shots, seed: nil, correlationID: nil, attempt: 1)
    }

    @Test func onlyFinalQuickOutcomesProveACircuitAndTheOldestAreForgotten() {
        let proven = ProvenCircuits(runLimit: .milliseconds(2), capacity: 2)
        let a = Self.task("a"), b = Self.task("b"), c = Self.task("c")
        #expect(!proven.contains(a))
        proven.record(a, outcome: .interrupted, elapsed: .microseconds(10))
        proven.record(a, outcome: .failed(TaskFailure(type: "time_limit", message: "")), elapsed: .microseconds(10))
        #expect(!proven.contains(a))  // never ran to the end
        proven.record(a, outcome: .completed(TaskResult(counts: [:], shots: 10)), elapsed: .microseconds(10))
        #expect(proven.contains(a))
        #expect(!proven.contains(Self.task("a", shots: 11)))
        proven.record(b, outcome: .failed(TaskFailure(type: "syntax", message: "")), elapsed: .seconds(1))
        #expect(!proven.contains(b))  // final, but too slow to run inline
        proven.record(b, outcome: .failed(TaskFailure(type: "syntax", message: "")), elapsed: .microseconds(500))
        #expect(proven.contains(b))  // a later fast run proves it after all
        proven.markTooBig(b)
        proven.record(c, outcome: .completed(TaskResult(counts: [:], shots: 10)), elapsed: .zero)
        #expect(proven.contains(c))
        #expect(!proven.contains(a))  // capacity 2: the oldest went
        proven.markTooBig(c)
        #expect(!proven.contains(c))
        let huge = Self.task(String(repeating: "x", count: ProvenCircuits.maxSourceBytes + 1))
        proven.record(huge, outcome: .completed(TaskResult(counts: [:], shots: 10)), elapsed: .zero)
        #expect(!proven.contains(huge))
    }
}
