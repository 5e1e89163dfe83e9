import ServiceLifecycle

/// Runs a service until graceful shutdown begins, then cancels it. `NotificationListener` only notices
/// graceful shutdown once connected; while PostgreSQL is unreachable it waits for a connection and
/// would hold the whole group's shutdown for about a minute.
struct CancelledOnGracefulShutdown: Service {
    let base: any Service

    func run() async throws {
        let base = self.base
        try await cancelWhenGracefulShutdown { try await base.run() }
    }
}
