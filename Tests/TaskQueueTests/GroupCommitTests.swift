import Foundation
import Logging
import PostgresNIO
import TaskQueue
import Testing
import TestSupport

/// "202 means committed" and group commit: submissions return only after their COMMIT is acknowledged,
/// concurrent ones share a transaction, and a failing commit stores nothing and reports an error.
@Suite struct GroupCommitTests {
    let logger = Logger(label: "test")

    static func installCommitTrap(_ client: PostgresClient, logger: Logger) async throws {
        try await CommitTrap.install(client, logger: logger)
    }

    static func counts(_ client: PostgresClient, logger: Logger) async throws -> (tasks: Int, history: Int) {
        // After a test killed a connection, the pool may hand out that connection once more before it notices.
        do {
            return try await CommitTrap.storedRows(client, logger: logger)
        } catch {
            return try await CommitTrap.storedRows(client, logger: logger)
        }
    }

    /// Runs `body` with a batcher whose `run()` is going.
    static func withBatcher<T: Sendable>(
        _ store: TaskStore,
        configuration: SubmissionBatcher.Configuration = .init(),
        _ body: @Sendable (SubmissionBatcher) async throws -> T
    ) async throws -> T {
        let batcher = SubmissionBatcher(store: store, configuration: configuration)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await batcher.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(batcher)
        }
    }

    @Test func aCommitThatFailsStoresNothingAndThrows() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            try await Self.installCommitTrap(client, logger: logger)
            let store = TaskStore(client: client, logger: logger)
            await #expect(throws: TaskQueueError.self) {
                try await store.submit(circuit: "FAIL AT COMMIT", shots: 1, correlationID: nil)
            }
            do {
                _ = try await store.submit(circuit: "FAIL AT COMMIT", shots: 1, correlationID: nil, idempotencyKey: "k1")
                Issue.record("a submission whose COMMIT failed returned a task")
            } catch let error as TaskQueueError {
                #expect(error.kind == .query)  // permanent: the API answers 500
            }
            let (tasks, history) = try await Self.counts(client, logger: logger)
            #expect(tasks == 0 && history == 0)
        }
    }

    @Test func aBadSubmissionInABatchFailsAloneAndTheOthersAreStored() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            try await Self.installCommitTrap(client, logger: logger)
            let store = TaskStore(client: client, logger: logger)
            var configuration = SubmissionBatcher.Configuration()
            configuration.maxConcurrentBatches = 1
            let (results, statistics) = try await Self.withBatcher(store, configuration: configuration) { batcher in
                // Hold the first transaction behind a table lock so the rest queue up and share one batch.
                try await client.withConnection { blocker in
                    try await blocker.query("BEGIN", logger: logger)
                    try await blocker.query("LOCK TABLE tasks IN SHARE ROW EXCLUSIVE MODE", logger: logger)
                    let results = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
                        group.addTask { ("first", (try? await batcher.submit(NewTask(circuit: "first", shots: 1))) != nil) }
                        try await Self.waitUntil { batcher.statistics.batches == 1 }
                        for circuit in ["a", "FAIL AT COMMIT", "b", "c"] {
                            group.addTask { (circuit, (try? await batcher.submit(NewTask(circuit: circuit, shots: 1))) != nil) }
                        }
                        try await Self.waitUntil { batcher.queued == 4 }
                        try await blocker.query("COMMIT", logger: logger)
                        return try await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
                    }
                    return (results, batcher.statistics)
                }
            }
            #expect(results == ["first": true, "a": true, "b": true, "c": true, "FAIL AT COMMIT": false])
            #expect(statistics.largestBatch == 4 && statistics.splitBatches == 1)
            let (tasks, history) = try await Self.counts(client, logger: logger)
            #expect(tasks == 4 && history == 4)
        }
    }

    @Test func aLoneSubmissionIsCommittedAtOnceInABatchOfOne() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let statistics = try await Self.withBatcher(store) { batcher in
                _ = try await batcher.submit(NewTask(circuit: "alone", shots: 3))
                return batcher.statistics
            }
            // No timer and no waiting for company: the one submission was its own batch.
            #expect(statistics == SubmissionBatcher.Statistics(batches: 1, tasks: 1, largestBatch: 1, splitBatches: 0))
        }
    }

    @Test func concurrentSubmissionsShareTransactionsAndEachGetsItsTask() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            var configuration = SubmissionBatcher.Configuration()
            configuration.maxConcurrentBatches = 1
            let (ids, statistics) = try await Self.withBatcher(store, configuration: configuration) { batcher in
                try await client.withConnection { blocker in
                    try await blocker.query("BEGIN", logger: logger)
                    try await blocker.query("LOCK TABLE tasks IN SHARE ROW EXCLUSIVE MODE", logger: logger)
                    let ids = try await withThrowingTaskGroup(of: UUID.self) { group in
                        group.addTask { try await batcher.submit(NewTask(circuit: "first", shots: 1)).id }
                        try await Self.waitUntil { batcher.statistics.batches == 1 }
                        for index in 0..<50 {
                            group.addTask { try await batcher.submit(NewTask(circuit: "c\(index)", shots: 1 + index)).id }
                        }
                        try await Self.waitUntil { batcher.queued == 50 }
                        try await blocker.query("COMMIT", logger: logger)
                        return try await group.reduce(into: [UUID]()) { $0.append($1) }
                    }
                    return (ids, batcher.statistics)
                }
            }
            #expect(Set(ids).count == 51)
            #expect(statistics.batches == 2 && statistics.largestBatch == 50)
            let (tasks, history) = try await Self.counts(client, logger: logger)
            #expect(tasks == 51 && history == 51)
            // Each caller got its own row back: shots identify them.
            let rows = try await client.query("SELECT count(*)::int FROM tasks WHERE circuit = 'c' || (shots - 1)", logger: logger)
            for try await matching in rows.decode(Int.self) { #expect(matching == 50) }
        }
    }

    @Test func equalKeysInOneBatchStoreOneTask() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let answers = try await store.submit([
                NewTask(circuit: "same", shots: 5, idempotencyKey: "k"),
                NewTask(circuit: "other", shots: 1),
                NewTask(circuit: "same", shots: 5, idempotencyKey: "k"),
                NewTask(circuit: "different", shots: 5, idempotencyKey: "k"),
            ])
            #expect(answers.map(\.outcome) == [.created, .created, .replayed, .conflict])
            #expect(answers[0].id == answers[2].id && answers[0].id == answers[3].id && answers[0].id != answers[1].id)
            // A later batch sees the stored key too.
            let again = try await store.submit([NewTask(circuit: "same", shots: 5, idempotencyKey: "k"),
                                                NewTask(circuit: "same", shots: 5, idempotencyKey: "k")])
            #expect(again.map(\.outcome) == [.replayed, .replayed] && again[0].id == answers[0].id)
            let (tasks, history) = try await Self.counts(client, logger: logger)
            #expect(tasks == 2 && history == 2)
        }
    }

    /// Polls `condition` until it holds; fails the test after `timeout`.
    static func waitUntil(timeout: Duration = .seconds(20), _ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TestSetupError("condition not reached within \(timeout)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
