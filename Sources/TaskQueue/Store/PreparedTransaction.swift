import Logging
import PostgresNIO

extension PostgresClient {
    /// PostgresNIO's `withTransaction`, with BEGIN and COMMIT sent as prepared statements: its `query("BEGIN;")`
    /// parses and describes each of them anew, which was about 5 % of a worker's CPU (a transaction per claim).
    /// Same contract: BEGIN, the body, then COMMIT; when the body throws, ROLLBACK and rethrow its error. Errors
    /// are the underlying ones (`TaskQueueError.wrap` classifies them), so a COMMIT the server refuses, e.g. on a
    /// deferred constraint, throws as it did.
    func inTransaction<Result>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await withConnection(isolation: isolation) { connection in
            try await connection.runToEnd(BeginStatement(), logger: logger)
            let value: Result
            do {
                value = try await body(connection)
            } catch {
                // The body's error is the one to report; a failed ROLLBACK means the connection is gone anyway.
                try? await connection.runToEnd(RollbackStatement(), logger: logger)
                throw error
            }
            try await connection.runToEnd(CommitStatement(), logger: logger)
            return value
        }
    }
}

extension PostgresConnection {
    /// Runs a statement that returns no rows, to its end (so that an error at any step is thrown here).
    fileprivate func runToEnd<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws {
        for try await _ in try await execute(statement, logger: logger) {}
    }
}

/// BEGIN, COMMIT and ROLLBACK: no parameters, no rows.
private protocol TransactionControlStatement: PostgresPreparedStatement where Row == () {}

extension TransactionControlStatement {
    func makeBindings() throws -> PostgresBindings { PostgresBindings() }
    func decodeRow(_ row: PostgresRow) throws {}
}

private struct BeginStatement: TransactionControlStatement {
    static let name = "qtq_begin"
    static let sql = "BEGIN"
}

private struct CommitStatement: TransactionControlStatement {
    static let name = "qtq_commit"
    static let sql = "COMMIT"
}

private struct RollbackStatement: TransactionControlStatement {
    static let name = "qtq_rollback"
    static let sql = "ROLLBACK"
}
