import Foundation
import Logging
import PostgresNIO
import TaskQueue
import Testing
import TestSupport

/// The schema's CHECK on shots and `TaskLimits.shots` must say the same thing.
@Suite struct TaskLimitsTests {
    @Test func theSchemaAcceptsExactlyTheShotsTheAPIAccepts() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            func inserts(_ shots: Int) async -> Bool {
                do {
                    try await client.query("INSERT INTO tasks (task_id, circuit, shots) VALUES (\(UUID()), 'x', \(shots))")
                    return true
                } catch {
                    return false
                }
            }
            let range = TaskLimits.shots
            #expect(await inserts(range.lowerBound))
            #expect(await inserts(range.upperBound))
            #expect(!(await inserts(range.lowerBound - 1)))
            #expect(!(await inserts(range.upperBound + 1)))
        }
    }
}
