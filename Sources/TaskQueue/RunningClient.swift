import Logging
import PostgresNIO

extension DatabaseURL {
    /// Runs `body` with a PostgresClient whose `run()` is driven alongside it, for one-shot work
    /// (commands, tests); long-running processes put the client in their service group instead.
    public func withRunningClient<T: Sendable>(
        logger: Logger,
        _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
