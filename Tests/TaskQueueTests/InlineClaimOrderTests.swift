import Foundation
import Logging
import PostgresNIO
@testable import TaskQueue
import Testing
import TestSupport

/// The inline claim's transaction can begin before a task it then locks was submitted (its lock statement takes a
/// new snapshot): the task's `processing` row must still come after its `pending` one.
@Suite struct InlineClaimOrderTests {
    let logger = Logger(label: "test")

    @Test func aTaskSubmittedAfterTheClaimBeganStillHasItsHistoryInOrder() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            try await client.withTransaction(logger: logger) { connection in
                // The transaction has begun (now() is fixed) before the task exists.
                for try await _ in try await connection.query("SELECT now()", logger: logger) {}
                // Another connection submits and commits it; a wall-clock step makes the two times differ for sure.
                for try await _ in try await connection.query("SELECT pg_sleep(0.01)", logger: logger) {}
                let task = try await store.submit(circuit: "x", shots: 1, correlationID: nil)
                var locked: [LockedTask] = []
                for try await row in try await connection.execute(LockClaimableStatement(limit: 10), logger: logger) {
                    locked.append(row)
                }
                #expect(locked.map(\.task.id) == [task.id])
                let result = TaskResult(counts: ["0": 1], shots: 1, seed: 1)
                let outcomes = locked.map { FinishedAttempt(key: $0.task.key, outcome: .completed(result)) }
                let settle = SettleClaimStatement(locked, outcomes: outcomes, workerID: "w", leaseSeconds: 30)
                for try await _ in try await connection.execute(settle, logger: logger) {}
            }
            let rows = try await client.query("""
                SELECT array_agg(h.status::text ORDER BY h.transitioned_at, h.id),
                       bool_and(h.transitioned_at >= t.submitted_at), bool_and(t.started_at >= t.submitted_at)
                FROM tasks t JOIN status_history h USING (task_id) GROUP BY t.task_id
                """, logger: logger)
            for try await (steps, historyInOrder, startedInOrder) in rows.decode(([String], Bool, Bool).self) {
                #expect(steps == ["pending", "processing", "completed"])
                #expect(historyInOrder)
                #expect(startedInOrder)
            }
        }
    }
}
