import Foundation
import PostgresNIO

/// Turns `postgres://user:password@host:port/database?sslmode=disable` into a PostgresNIO configuration
/// (PostgresNIO has no URL initializer).
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    public var requireTLS: Bool

    public static let defaultURL = "postgres://qtq:qtq@localhost:5432/qtq"

    public init(_ text: String) throws(TaskQueueError) {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme),
              let host = components.host, !host.isEmpty
        else {
            throw TaskQueueError(.configuration, "DATABASE_URL must look like postgres://user:password@host:5432/database.")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? nil : path
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value
        self.requireTLS = sslmode == "require" || sslmode == "verify-full" || sslmode == "verify-ca"
    }

    /// From libpq's environment variables: `PGHOST` (required), `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`,
    /// `PGSSLMODE`. The password is taken verbatim, so it may contain any character (`@`, `/`, `#`, `%` …) without
    /// URL encoding. Nil when `PGHOST` is unset.
    public init?(libpqEnvironment environment: [String: String]) throws(TaskQueueError) {
        guard let host = environment["PGHOST"], !host.isEmpty else { return nil }
        self.host = host
        if let text = environment["PGPORT"], !text.isEmpty {
            guard let port = Int(text), (1...65535).contains(port) else {
                throw TaskQueueError(.configuration, "PGPORT must be a port number from 1 to 65535, not \"\(text)\".")
            }
            self.port = port
        } else {
            self.port = 5432
        }
        self.username = environment["PGUSER"].flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        self.password = environment["PGPASSWORD"]
        self.database = environment["PGDATABASE"].flatMap { $0.isEmpty ? nil : $0 }
        let sslmode = environment["PGSSLMODE"]
        self.requireTLS = sslmode == "require" || sslmode == "verify-full" || sslmode == "verify-ca"
    }

    /// The same server with another database (tests create throwaway databases).
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    public var clientConfiguration: PostgresClient.Configuration {
        clientConfiguration()
    }

    /// The client configuration. With `statementTimeout`, the server itself cancels any statement (and ends any
    /// transaction left idle) that runs longer: set it below the caller's own deadline, so a deadline that
    /// expires means the work was rolled back rather than left running to commit unseen.
    ///
    /// `sequentialScans: false` (the worker): the planner may not read the tasks table whole. Every statement of the
    /// worker reaches its rows by address, key or a partial index, and its plans are made once per connection: one
    /// made while the table was young (or just analysed empty) finds a sequential scan cheapest, and keeps using it
    /// as the table grows, reading every task per claim.
    public func clientConfiguration(
        statementTimeout: Duration? = nil, maximumConnections: Int? = nil, sequentialScans: Bool = true
    ) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: requireTLS ? .require(.clientDefault) : .disable
        )
        // Fail fast when the server is down so /health can answer in time and workers can retry.
        configuration.options.connectTimeout = .seconds(2)
        // The queue's statements are prepared once per connection; planning them for each call's values cost the
        // server more than running them, and one plan fits every batch.
        configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_generic_plan")]
        if !sequentialScans {
            configuration.options.additionalStartupParameters += [("enable_seqscan", "off")]
        }
        if let statementTimeout {
            let milliseconds = String(Int(statementTimeout / .milliseconds(1)))
            configuration.options.additionalStartupParameters += [
                ("statement_timeout", milliseconds), ("idle_in_transaction_session_timeout", milliseconds),
            ]
        }
        if let maximumConnections { configuration.options.maximumConnections = maximumConnections }
        return configuration
    }

    /// Without the password, for logs.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database ?? "")"
    }
}
