import ArgumentParser
import Foundation
import Logging
import TaskQueue

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the numbered SQL migrations (idempotent; safe to start from several containers at once)."
    )

    @Option(help: "Folder of NNN_name.sql files (default: $QTQ_MIGRATIONS_DIR, else ./sql).")
    var migrationsDir: String?

    func run() async throws {
        LogSetup.bootstrap(service: "migrate")
        let logger = Logger(label: "qtq.migrate")
        let url = try Environment.databaseURL()
        let directory = migrationsDir.map { URL(fileURLWithPath: $0) } ?? Migration.defaultDirectory()
        do {
            let migrations = try Migration.load(from: directory)
            let applied = try await withDatabase(url, logger: logger) { client in
                try await Migrator(client: client, logger: logger).migrate(migrations)
            }
            logger.info("Migrations up to date", metadata: [
                "applied": "\(applied.map(String.init).joined(separator: ","))",
                "known": "\(migrations.count)", "database": "\(url)",
            ])
        } catch let error as TaskQueueError {
            logger.error("Migration failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}
