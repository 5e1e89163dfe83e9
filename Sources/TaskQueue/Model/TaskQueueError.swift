import Foundation
import PostgresNIO

/// Errors leaving the TaskQueue module. `description` is safe to show; `underlying` has the detail for logs.
public struct TaskQueueError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// PostgreSQL could not be reached (or did not answer in time).
        case unavailable
        /// A query failed for another reason.
        case query
        /// A migration could not be applied, or an applied one was changed.
        case migration
        /// DATABASE_URL could not be understood.
        case configuration
    }

    public var kind: Kind
    public var message: String
    public var underlying: String?

    public init(_ kind: Kind, _ message: String, underlying: (any Error)? = nil) {
        self.kind = kind
        self.message = message
        self.underlying = underlying.map { error in
            if let psql = error as? PSQLError {
                // PSQLError's description is deliberately generic; the server message is what helps.
                let server = psql.serverInfo?[.message] ?? ""
                let state = psql.serverInfo?[.sqlState] ?? ""
                return "\(psql.code) \(state) \(server)".trimmingCharacters(in: .whitespaces)
            }
            return String(describing: error)
        }
    }

    public var description: String {
        underlying.map { "\(message) (\($0))" } ?? message
    }

    /// Classifies a PostgresNIO error: connection-level problems are `unavailable`, the rest `query`.
    static func wrap(_ error: any Error, _ message: String) -> TaskQueueError {
        if let own = error as? TaskQueueError { return own }
        if let psql = error as? PSQLError {
            // No server answer at all, or SQLSTATE classes that mean "not now": connection exception (08),
            // insufficient resources (53), operator intervention such as a shutdown (57).
            let state = psql.serverInfo?[.sqlState] ?? ""
            if psql.serverInfo == nil || ["08", "53", "57"].contains(String(state.prefix(2))) {
                return TaskQueueError(.unavailable, "The database is unavailable.", underlying: error)
            }
        }
        return TaskQueueError(.query, message, underlying: error)
    }
}
