import Foundation
import Logging
import PostgresNIO
import TaskQueue
import Testing
import TestSupport

@Suite struct TaskStoreTests {
    let logger = Logger(label: "test")

    @Test func submitStoresTaskAndFirstHistoryRow() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let submitted = try await store.submit(circuit: "OPENQASM 3;", shots: 10, correlationID: "abc-1")
            #expect(submitted.submittedAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil)
            let record = try #require(try await store.task(id: submitted.id))
            #expect(record.status == .pending)
            #expect(record.shots == 10)
            #expect(record.correlationID == "abc-1")
            #expect(record.history.map(\.status) == [.pending])
            #expect(record.history.first?.notes == "Task created and queued")
            #expect(try await store.task(id: UUID()) == nil)
        }
    }

    @Test func submitNotifiesListeners() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let listener = NotificationListener(client: client, channel: QueueChannel.tasks, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await listener.run() }
                var iterator = listener.notifications.makeAsyncIterator()
                #expect(await iterator.next() == "")  // connected
                #expect(listener.isListening)
                // One notification per committed batch; its payload is how many tasks became claimable.
                _ = try await TaskStore(client: client, logger: logger).submit(circuit: "x", shots: 1, correlationID: nil)
                #expect(await iterator.next() == "1")
                _ = try await TaskStore(client: client, logger: logger).submit([NewTask(circuit: "a", shots: 1), NewTask(circuit: "b", shots: 1)])
                #expect(await iterator.next() == "2")
                group.cancelAll()
            }
        }
    }

    @Test func claimCompleteIsGuardedByLease() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let first = try await store.submit(circuit: "a", shots: 5, correlationID: nil, seed: 42)
            let second = try await store.submit(circuit: "b", shots: 6, correlationID: nil)
            let claimed = try await store.claim(workerID: "w1", limit: 1, lease: .seconds(30))
            #expect(claimed.map(\.id) == [first.id])
            #expect(claimed.first?.seed == 42)
            #expect(claimed.first?.attempt == 1)
            let other = try await store.claim(workerID: "w2", limit: 5, lease: .seconds(30))
            #expect(other.map(\.id) == [second.id])

            let task = try #require(claimed.first)
            let result = TaskResult(counts: ["0": 5], shots: 5, seed: 42)
            #expect(try await store.complete(task, workerID: "w2", result: result) == false)  // not the holder
            #expect(try await store.complete(task, workerID: "w1", result: result) == true)
            #expect(try await store.complete(task, workerID: "w1", result: result) == false)  // duplicate
            let record = try #require(try await store.task(id: first.id))
            #expect(record.status == .completed)
            #expect(record.result == result)
            #expect(record.history.map(\.status) == [.pending, .processing, .completed])
            #expect(record.history.map(\.workerID) == [nil, "w1", "w1"])
        }
    }

    @Test func expiredLeasesAreRequeuedThenFailed() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let submitted = try await store.submit(circuit: "a", shots: 1, correlationID: nil, maxAttempts: 2)
            for attempt in 1...2 {
                let claimed = try await store.claim(workerID: "dead-\(attempt)", limit: 1, lease: .milliseconds(1))
                #expect(claimed.first?.attempt == attempt)
                try await client.query("SELECT pg_sleep(0.01)", logger: logger)
                let swept = try await store.requeueExpiredLeases()
                #expect(swept.requeued == (attempt == 1 ? 1 : 0))
                #expect(swept.failed == (attempt == 2 ? 1 : 0))
                if attempt == 1 {
                    // Backoff: not claimable until run_after (1-3 s after the first attempt); then claimable.
                    #expect(try await store.claim(workerID: "eager", limit: 1, lease: .seconds(30)).isEmpty)
                    let rows = try await client.query(
                        "SELECT extract(epoch FROM run_after - clock_timestamp())::float8 FROM tasks", logger: logger
                    )
                    for try await wait in rows.decode(Double.self) { #expect(wait > 0.5 && wait <= 3) }
                    try await client.query("UPDATE tasks SET run_after = clock_timestamp()", logger: logger)
                }
            }
            let record = try #require(try await store.task(id: submitted.id))
            #expect(record.status == .failed)
            #expect(record.failure?.type == "lease_expired")
            #expect(record.failure?.message.contains("failed after 2 attempts") == true)
            #expect(record.failure?.message.contains("1 on dead-1, lease expired; 2 on dead-2, lease expired") == true)
            #expect(record.history.compactMap(\.notes).contains("lease expired, requeued"))
            #expect(record.history.map(\.status) == [.pending, .processing, .pending, .processing, .failed])
        }
    }

    @Test func leasesAreNotRenewedPastTheirMaximumAge() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            _ = try await store.submit(circuit: "endless", shots: 1, correlationID: nil)
            let task = try #require(try await store.claim(workerID: "w", limit: 1, lease: .seconds(30)).first)
            #expect(try await store.extendLeases(of: [task.key], workerID: "w", lease: .seconds(30)) == [task.key])
            try await client.query("UPDATE tasks SET started_at = clock_timestamp() - interval '2 hours'", logger: logger)
            // Two hours after the claim, past the default maximum of one hour: the lease is left to run out.
            #expect(try await store.extendLeases(of: [task.key], workerID: "w", lease: .seconds(30)).isEmpty)
            #expect(try await store.extendLeases(of: [task.key], workerID: "w", lease: .seconds(30), maxAge: .seconds(3 * 3600)) == [task.key])
        }
    }

    @Test func releaseDoesNotCountTheAttempt() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let submitted = try await store.submit(circuit: "a", shots: 1, correlationID: nil)
            let task = try #require(try await store.claim(workerID: "w", limit: 1, lease: .seconds(30)).first)
            #expect(try await store.release(task, workerID: "w", notes: "worker shutting down, requeued"))
            let record = try #require(try await store.task(id: submitted.id))
            #expect(record.status == .pending)
            #expect(record.attempts == 0)
            let again = try await store.claim(workerID: "w", limit: 1, lease: .seconds(30))
            #expect(again.first?.attempt == 1)
        }
    }

    @Test func failureIsStoredWithPosition() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let submitted = try await store.submit(circuit: "bad", shots: 1, correlationID: nil)
            let task = try #require(try await store.claim(workerID: "w", limit: 1, lease: .seconds(30)).first)
            let failure = TaskFailure(type: "syntax", message: "Expected ';'.", line: 3, column: 7)
            #expect(try await store.fail(task, workerID: "w", failure: failure))
            let record = try #require(try await store.task(id: submitted.id))
            #expect(record.status == .failed)
            #expect(record.failure == failure)
            #expect(try await store.stats().failed == 1)
        }
    }

    @Test func pingFailsFastWhenServerIsDown() async throws {
        let down = try DatabaseURL("postgres://postgres@127.0.0.1:1/postgres")
        let started = ContinuousClock.now
        let ok = try await TestDatabase.withClient(down) { client in
            await TaskStore(client: client, logger: logger).ping(timeout: .seconds(1))
        }
        #expect(ok == false)
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func databaseURLParsing() throws {
        let url = try DatabaseURL("postgres://user:p%40ss@db.example:6543/qtq?sslmode=require")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.username == "user")
        #expect(url.password == "p@ss")
        #expect(url.database == "qtq")
        #expect(url.requireTLS)
        #expect(throws: TaskQueueError.self) { try DatabaseURL("mysql://nope") }
    }

    /// libpq's variables take a password verbatim: no URL encoding, any character.
    @Test func databaseSettingsFromLibpqVariables() throws {
        let password = "p@ss:w/rd#?%20 ü"
        let url = try #require(try DatabaseURL(libpqEnvironment: [
            "PGHOST": "db.example", "PGPORT": "6543", "PGUSER": "qtq", "PGPASSWORD": password, "PGDATABASE": "tasks",
            "PGSSLMODE": "verify-full",
        ]))
        #expect(url.host == "db.example" && url.port == 6543 && url.username == "qtq" && url.database == "tasks")
        #expect(url.password == password)
        #expect(url.requireTLS)
        #expect(try DatabaseURL(libpqEnvironment: ["PGUSER": "x"]) == nil)
        #expect(throws: TaskQueueError.self) { try DatabaseURL(libpqEnvironment: ["PGHOST": "h", "PGPORT": "70000"]) }
    }
}
