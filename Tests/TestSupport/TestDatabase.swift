import Foundation
import Logging
import PostgresNIO
import TaskQueue

/// A fresh, migrated database on the throwaway server that scripts/test starts
/// (QTQ_TEST_DATABASE_URL), so tests running in parallel never see each other's tasks.
public struct TestDatabase: Sendable {
    public let url: DatabaseURL
    public let name: String

    public static var serverURL: DatabaseURL {
        get throws {
            guard let text = ProcessInfo.processInfo.environment["QTQ_TEST_DATABASE_URL"], !text.isEmpty else {
                throw TestSetupError("QTQ_TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts PostgreSQL.")
            }
            return try DatabaseURL(text)
        }
    }

    /// The repository's sql/ folder.
    public static var migrationsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sql")
    }

    /// Creates `qtq_test_<random>` and applies the migrations.
    public static func create(on server: DatabaseURL? = nil, logger: Logger = Logger(label: "test")) async throws -> TestDatabase {
        let server = try server ?? serverURL
        let name = "qtq_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try await withClient(server) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        let database = TestDatabase(url: server.with(database: String(name)), name: String(name))
        _ = try await database.withClient { client in
            try await Migrator(client: client, logger: logger).migrate(try Migration.load(from: migrationsDirectory))
        }
        return database
    }

    /// Runs `body` with a running client to this database.
    public func withClient<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        try await Self.withClient(url, body)
    }

    public static func withClient<T: Sendable>(_ url: DatabaseURL, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        var quiet = Logger(label: "test-pg")
        quiet.logLevel = .error  // connection churn of deliberately stopped servers is expected here
        return try await url.withRunningClient(logger: quiet, body)
    }

    /// The URL string for child processes' DATABASE_URL.
    public var urlString: String {
        "postgres://\(url.username)\(url.password.map { ":" + $0 } ?? "")@\(url.host):\(url.port)/\(name)"
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
