import Foundation
import Logging
import PostgresNIO
import TaskQueue
import Testing
import TestSupport

@Suite struct IdempotencyKeyTests {
    let logger = Logger(label: "test")

    @Test func concurrentSubmissionsWithOneKeyStoreOneTask() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let results = try await withThrowingTaskGroup(of: SubmittedTask.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.submit(circuit: "OPENQASM 3;", shots: 10, correlationID: nil, seed: 7, idempotencyKey: "same-key")
                    }
                }
                return try await group.reduce(into: [SubmittedTask]()) { $0.append($1) }
            }
            #expect(Set(results.map(\.id)).count == 1)
            #expect(results.filter { $0.outcome == .created }.count == 1)
            #expect(results.filter { $0.outcome == .replayed }.count == 7)
            let rows = try await client.query("SELECT count(*)::int, (SELECT count(*)::int FROM status_history) FROM tasks")
            for try await (tasks, history) in rows.decode((Int, Int).self) {
                #expect(tasks == 1 && history == 1)
            }
        }
    }

    @Test func aDifferentSubmissionUnderAUsedKeyIsAConflictAndStoresNothing() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let store = TaskStore(client: client, logger: logger)
            let first = try await store.submit(circuit: "OPENQASM 3;", shots: 10, correlationID: nil, idempotencyKey: "k")
            for (shots, seed) in [(11, nil), (10, UInt64(1))] as [(Int, UInt64?)] {
                let other = try await store.submit(circuit: "OPENQASM 3;", shots: shots, correlationID: nil, seed: seed, idempotencyKey: "k")
                #expect(other.outcome == .conflict && other.id == first.id)
            }
            // Without a key every submission is a new task.
            let a = try await store.submit(circuit: "OPENQASM 3;", shots: 10, correlationID: nil)
            let b = try await store.submit(circuit: "OPENQASM 3;", shots: 10, correlationID: nil)
            #expect(a.id != b.id && a.outcome == .created && b.outcome == .created)
            for try await count in try await client.query("SELECT count(*)::int FROM tasks").decode(Int.self) {
                #expect(count == 3)
            }
        }
    }
}
