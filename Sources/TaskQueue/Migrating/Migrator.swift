import Foundation
import Logging
import PostgresNIO

/// Applies `sql/` migrations: each file in its own transaction, under an advisory lock so several
/// containers can start `qtq migrate` at once; idempotent; refuses to run when an applied file changed.
public struct Migrator: Sendable {
    /// Arbitrary constant identifying qtq's migration lock among advisory locks.
    static let advisoryLockKey: Int64 = 0x7174_715F_6D69_67

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Returns the versions applied by this call (empty when the database was up to date).
    @discardableResult
    public func migrate(_ migrations: [Migration]) async throws(TaskQueueError) -> [Int] {
        do {
            return try await client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
                do {
                    let applied = try await apply(migrations, on: connection)
                    try await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                    return applied
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                    throw error
                }
            }
        } catch {
            if let own = error as? TaskQueueError { throw own }
            throw TaskQueueError.wrap(error, "Could not apply migrations.")
        }
    }

    private func apply(_ migrations: [Migration], on connection: PostgresConnection) async throws -> [Int] {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer     PRIMARY KEY,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
        var known: [Int: String] = [:]
        let rows = try await connection.query("SELECT version, checksum FROM schema_migrations", logger: logger)
        for try await (version, checksum) in rows.decode((Int, String).self) { known[version] = checksum }

        var appliedNow: [Int] = []
        for migration in migrations {
            // SHA-256 of the file's text, computed by the server (no crypto dependency needed here).
            let checksumRows = try await connection.query(
                "SELECT encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex')", logger: logger
            )
            var checksum = ""
            for try await value in checksumRows.decode(String.self) { checksum = value }
            if let appliedChecksum = known[migration.version] {
                guard appliedChecksum == checksum else {
                    throw TaskQueueError(.migration, "Migration \(migration.name) was changed after it was applied; add a new numbered file instead of editing it.")
                }
                continue
            }
            logger.info("Applying migration", metadata: ["migration": "\(migration.name)"])
            let batch = try Self.batch(migration)
            do {
                // The file and its record commit together, or neither does.
                try await connection.withTransaction(logger: logger) { connection in
                    try await connection.query(batch, logger: logger)
                    try await connection.query(
                        "INSERT INTO schema_migrations (version, checksum) VALUES (\(migration.version), \(checksum))",
                        logger: logger
                    )
                }
            } catch {
                throw TaskQueueError(.migration, "Migration \(migration.name) failed.", underlying: error)
            }
            appliedNow.append(migration.version)
        }
        return appliedNow
    }

    /// A file holds several statements, which the extended protocol refuses in one query; PL/pgSQL's
    /// EXECUTE runs a multi-statement string, so the file travels as one dollar-quoted literal.
    static func batch(_ migration: Migration) throws(TaskQueueError) -> PostgresQuery {
        let tag = "$qtq_migration_body$"
        guard !migration.sql.contains(tag) else {
            throw TaskQueueError(.migration, "Migration \(migration.name) must not contain the text \(tag).")
        }
        return PostgresQuery(unsafeSQL: "DO $qtq_migration$ BEGIN EXECUTE \(tag)\(migration.sql)\(tag); END $qtq_migration$")
    }
}
