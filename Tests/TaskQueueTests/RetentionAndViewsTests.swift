import Foundation
import Logging
import PostgresNIO
import TaskQueue
import Testing
import TestSupport

/// The retention cleaner (`TaskStore.deleteFinished`) and the psql views of sql/005, on a real PostgreSQL.
@Suite struct RetentionAndViewsTests {
    let logger = Logger(label: "test")

    static func count(_ client: PostgresClient, _ query: PostgresQuery) async throws -> Int {
        var value = 0
        for try await count in try await client.query(query).decode(Int.self) { value = count }
        return value
    }

    @Test func onlyFinishedTasksPastTheRetentionAgeAreDeletedWithTheirHistoryAndKeys() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let old = try await store.submit(circuit: "old", shots: 1, correlationID: nil, idempotencyKey: "key-1")
            let recent = try await store.submit(circuit: "recent", shots: 1, correlationID: nil)
            let waiting = try await store.submit(circuit: "waiting", shots: 1, correlationID: nil)
            let claimed = try await store.claim(workerID: "w", limit: 2, lease: .seconds(60))
            #expect(claimed.count == 2)
            for task in claimed {
                #expect(try await store.complete(task, workerID: "w", result: TaskResult(counts: ["0": 1], shots: 1)))
            }
            // The first finished two hours ago; the pending one was submitted long ago but is not finished.
            try await client.query("UPDATE tasks SET completed_at = now() - interval '2 hours' WHERE task_id = \(old.id)")
            try await client.query("UPDATE tasks SET submitted_at = now() - interval '30 days' WHERE task_id = \(waiting.id)")

            let first = try await store.deleteFinished(olderThan: .seconds(3600))
            #expect(first == 1)
            #expect(try await store.task(id: old.id) == nil)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM status_history WHERE task_id = \(old.id)") == 0)
            #expect(try await store.task(id: recent.id)?.status == .completed)
            #expect(try await store.task(id: waiting.id)?.status == .pending)
            let second = try await store.deleteFinished(olderThan: .seconds(3600))
            #expect(second == 0)
            // Its idempotency key went with it: the same key stores a new task.
            let again = try await store.submit(circuit: "old", shots: 1, correlationID: nil, idempotencyKey: "key-1")
            #expect(again.outcome == .created)
            #expect(again.id != old.id)
        }
    }

    @Test func oneCleanerAtATime() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            // Another process is cleaning: it holds the lock in its transaction.
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Int64(0x7174_715F_7265_74)))", logger: logger)
                let skipped = try await store.deleteFinished(olderThan: .zero)
                #expect(skipped == nil)
            }
            let ran = try await store.deleteFinished(olderThan: .zero)
            #expect(ran == 0)
        }
    }

    @Test func viewsDescribeTheQueue() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let first = try await store.submit(circuit: "a", shots: 1, correlationID: nil)
            _ = try await store.submit(circuit: "b", shots: 1, correlationID: nil)
            _ = try await store.submit(circuit: "c", shots: 1, correlationID: nil)
            let claimed = try await store.claim(workerID: "w1", limit: 2, lease: .seconds(60))
            #expect(try await store.complete(claimed[0], workerID: "w1", result: TaskResult(counts: ["0": 1], shots: 1)))

            for try await (pending, processing, completed, failed, cancelled, finishedLastMinute, hasAge) in try await client.query(
                "SELECT pending, processing, completed, failed, cancelled, finished_last_minute, oldest_pending_age IS NOT NULL FROM queue_stats"
            ).decode((Int, Int, Int, Int, Int, Int, Bool).self) {
                let counts: [Int] = [pending, processing, completed, failed, cancelled, finishedLastMinute]
                #expect(counts == [1, 1, 1, 0, 0, 1])
                #expect(hasAge)
            }
            var workers: [(String, Int, Int)] = []
            for try await row in try await client.query(
                "SELECT worker_id, running_tasks::int, claims_last_hour::int FROM worker_activity"
            ).decode((String, Int, Int).self) { workers.append(row) }
            #expect(workers.count == 1)
            #expect(workers.first?.0 == "w1" && workers.first?.1 == 1 && workers.first?.2 == 2)

            var steps: [(Int, String, Bool)] = []
            for try await row in try await client.query(
                "SELECT step::int, status::text, since_previous IS NULL FROM task_timeline WHERE task_id = \(first.id) ORDER BY step"
            ).decode((Int, String, Bool).self) { steps.append(row) }
            #expect(steps.map(\.0) == [1, 2, 3])
            #expect(steps.map(\.1) == ["pending", "processing", "completed"])
            #expect(steps.map(\.2) == [true, false, false])
        }
    }
}
