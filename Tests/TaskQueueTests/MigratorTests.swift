import Foundation
import Logging
import PostgresNIO
import TaskQueue
import Testing
import TestSupport

@Suite struct MigratorTests {
    let logger = Logger(label: "test")

    @Test func migrationsAreIdempotentAndRecorded() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let migrations = try Migration.load(from: TestDatabase.migrationsDirectory)
            // Numbered 1, 2, 3 ... without gaps.
            #expect(migrations.map(\.version) == Array(1...migrations.count))
            let again = try await Migrator(client: client, logger: logger).migrate(migrations)
            #expect(again.isEmpty)
            let rows = try await client.query("SELECT version, length(checksum) FROM schema_migrations", logger: logger)
            var seen: [Int: Int] = [:]
            for try await (version, length) in rows.decode((Int, Int).self) { seen[version] = length }
            #expect(seen == Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, 64) }))
        }
    }

    @Test func concurrentMigratorsApplyEachFileOnce() async throws {
        let server = try TestDatabase.serverURL
        let name = "qtq_test_mig_" + UUID().uuidString.prefix(8).lowercased()
        _ = try await TestDatabase.withClient(server) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        let migrations = try Migration.load(from: TestDatabase.migrationsDirectory)
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await TestDatabase.withClient(server.with(database: name)) { client in
                        try await Migrator(client: client, logger: logger).migrate(migrations)
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(applied.sorted() == Array(1...(try Migration.load(from: TestDatabase.migrationsDirectory).count)))
    }

    @Test func changedMigrationIsRefused() async throws {
        let database = try await TestDatabase.create()
        var migrations = try Migration.load(from: TestDatabase.migrationsDirectory)
        migrations[0].sql += "\n-- edited after the fact\n"
        let changed = migrations
        await #expect(throws: TaskQueueError.self) {
            try await database.withClient { client in
                try await Migrator(client: client, logger: logger).migrate(changed)
            }
        }
    }

    /// A file that fails halfway leaves nothing behind: neither its first statements nor its record.
    @Test func aFailingMigrationIsRolledBackWhole() async throws {
        let database = try await TestDatabase.create()
        var migrations = try Migration.load(from: TestDatabase.migrationsDirectory)
        migrations.append(Migration(
            version: migrations.count + 1, name: "999_broken.sql",
            sql: "CREATE TABLE half_done (id int);\nSELECT no_such_function();\n"
        ))
        let broken = migrations
        try await database.withClient { client in
            await #expect(throws: TaskQueueError.self) {
                try await Migrator(client: client, logger: logger).migrate(broken)
            }
            var tables = 0
            var recorded = 0
            for try await count in try await client.query("SELECT count(*)::int FROM pg_tables WHERE tablename = 'half_done'").decode(Int.self) { tables = count }
            for try await count in try await client.query("SELECT count(*)::int FROM schema_migrations WHERE version = \(broken.count)").decode(Int.self) { recorded = count }
            #expect(tables == 0)
            #expect(recorded == 0)
            // The lock was released: the good files apply (they are already there) without waiting.
            let again = try await Migrator(client: client, logger: logger).migrate(Array(broken.dropLast()))
            #expect(again.isEmpty)
        }
    }
}
