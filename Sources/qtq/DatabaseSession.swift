import Logging
import PostgresNIO
import TaskQueue

/// Runs `body` with a PostgresClient whose `run()` is driven alongside it (one-shot commands).
func withDatabase<T: Sendable>(
    _ url: DatabaseURL,
    logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        defer { group.cancelAll() }
        return try await body(client)
    }
}
