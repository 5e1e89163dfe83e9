import Logging
import PostgresNIO
import TaskQueue

/// Runs `body` with a running client (one-shot commands). The pool's own chatter is kept to errors:
/// these commands report their failures themselves.
func withDatabase<T: Sendable>(
    _ url: DatabaseURL,
    logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    var poolLogger = logger
    poolLogger.logLevel = .error
    return try await url.withRunningClient(logger: poolLogger, body)
}
