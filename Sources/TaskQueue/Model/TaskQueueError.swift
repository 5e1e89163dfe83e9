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

    /// Classifies a PostgresNIO error: connection-level problems and transient server states are
    /// `unavailable` (try again later), the rest `query`. A failed transaction is judged by the step that failed.
    static func wrap(_ error: any Error, _ message: String) -> TaskQueueError {
        if let own = error as? TaskQueueError { return own }
        if let transaction = error as? PostgresTransactionError {
            let cause = transaction.commitError ?? transaction.closureError ?? transaction.beginError
            if let cause { return wrap(cause, message) }
        }
        if let psql = error as? PSQLError {
            let state = psql.serverInfo?[.sqlState] ?? ""
            if psql.serverInfo == nil || isTransient(sqlState: state) {
                return TaskQueueError(.unavailable, "The database is unavailable.", underlying: error)
            }
        }
        return TaskQueueError(.query, message, underlying: error)
    }

    /// SQLSTATEs that mean "not now" rather than "never": connection exception (08), insufficient resources (53),
    /// operator intervention such as a shutdown (57), read-only after a failover (25006), serialization failure
    /// (40001) and deadlock (40P01).
    static func isTransient(sqlState: String) -> Bool {
        ["08", "53", "57"].contains(String(sqlState.prefix(2))) || ["25006", "40001", "40P01"].contains(sqlState)
    }
}
