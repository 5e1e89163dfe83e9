import Foundation
import Logging
import PostgresNIO
import TaskQueue
import Testing
import TestSupport

/// Claiming and recording small tasks in one transaction (`claim(...runningInline:)`): one commit for both,
/// the same history rows and guards as the two-step path, and all or nothing.
@Suite struct InlineClaimTests {
    let logger = Logger(label: "test")

    @Test func outcomesRunInlineCommitWithTheClaimAndTheRestStayLeased() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let ok = try await store.submit(circuit: "ok", shots: 5, correlationID: nil)
            let bad = try await store.submit(circuit: "bad", shots: 5, correlationID: nil)
            let big = try await store.submit(circuit: "big", shots: 5, correlationID: nil)
            let result = TaskResult(counts: ["0": 5], shots: 5, seed: 1)
            let failure = TaskFailure(type: "syntax", message: "Line 1, column 1: nope", line: 1, column: 1)
            let claim = try await store.claim(workerID: "w1", limit: 10, lease: .seconds(30)) { tasks in
                tasks.compactMap { task -> FinishedAttempt? in
                    switch task.circuit {
                    case "ok": FinishedAttempt(key: task.key, outcome: .completed(result))
                    case "bad": FinishedAttempt(key: task.key, outcome: .failed(failure))
                    default: nil  // left for the slots
                    }
                }
            }
            #expect(claim.claimed.map(\.id) == [ok.id, bad.id, big.id])
            #expect(claim.finished == Set(claim.claimed.prefix(2).map(\.key)))

            let completed = try #require(try await store.task(id: ok.id))
            #expect(completed.status == .completed)
            #expect(completed.result == result)
            #expect(completed.attempts == 1)
            #expect(completed.history.map(\.status) == [.pending, .processing, .completed])
            #expect(completed.history.map(\.workerID) == [nil, "w1", "w1"])
            let failed = try #require(try await store.task(id: bad.id))
            #expect(failed.status == .failed)
            #expect(failed.failure?.message == failure.message)
            #expect(failed.history.map(\.status) == [.pending, .processing, .failed])

            // The task left out is claimed as by `claim`: processing under w1's lease, finished the usual way.
            let leased = try #require(try await store.task(id: big.id))
            #expect(leased.status == .processing)
            #expect(leased.history.map(\.status) == [.pending, .processing])
            let held = try #require(claim.claimed.last)
            #expect(try await store.complete(held, workerID: "w2", result: result) == false)
            #expect(try await store.complete(held, workerID: "w1", result: result) == true)
            #expect(try await store.task(id: big.id)?.history.map(\.status) == [.pending, .processing, .completed])
        }
    }

    @Test func whileTheInlineRunHoldsTheRowsOthersSeeThemPendingAndCannotClaimThem() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let submitted = try await store.submit(circuit: "x", shots: 1, correlationID: nil)
            let result = TaskResult(counts: ["1": 1], shots: 1, seed: 3)
            let claim = try await store.claim(workerID: "w1", limit: 5, lease: .seconds(30)) { tasks in
                // Another worker's claim skips the locked row; readers see the last committed state.
                let otherGotNothing = (try? await store.claim(workerID: "w2", limit: 5, lease: .seconds(30)))?.isEmpty ?? false
                let seen = try? await store.task(id: submitted.id)?.status
                guard otherGotNothing, seen == .pending else { return [] }
                return tasks.map { FinishedAttempt(key: $0.key, outcome: .completed(result)) }
            }
            #expect(claim.finished.count == 1, "another worker claimed the row, or saw it other than pending, during the inline run")
            #expect(try await store.task(id: submitted.id)?.status == .completed)
        }
    }

    @Test func aCommitThatFailsLeavesTheTaskPendingWithNoClaimOrOutcome() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let submitted = try await store.submit(circuit: "x", shots: 1, correlationID: nil)
            // Fails at COMMIT, after both the claim and the outcome were written.
            try await client.query("""
                CREATE FUNCTION refuse_completion() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.status = 'completed' THEN RAISE EXCEPTION 'refused at commit'; END IF;
                    RETURN NULL;
                END $$
                """, logger: logger)
            try await client.query("""
                CREATE CONSTRAINT TRIGGER refuse_completion AFTER INSERT ON status_history
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_completion()
                """, logger: logger)
            let result = TaskResult(counts: ["0": 1], shots: 1, seed: 1)
            await #expect(throws: TaskQueueError.self) {
                try await store.claim(workerID: "w1", limit: 5, lease: .seconds(30)) { tasks in
                    tasks.map { FinishedAttempt(key: $0.key, outcome: .completed(result)) }
                }
            }
            let record = try #require(try await store.task(id: submitted.id))
            #expect(record.status == .pending)
            #expect(record.attempts == 0)
            #expect(record.history.map(\.status) == [.pending])
            // Still there for the next claim, as its first attempt.
            let again = try await store.claim(workerID: "w2", limit: 5, lease: .seconds(30))
            #expect(again.map(\.id) == [submitted.id])
            #expect(again.first?.attempt == 1)
        }
    }
}
