import Hummingbird
import PostgresNIO
import TaskQueue

/// `GET /health`: healthy only when PostgreSQL answers and the API's LISTEN connection is up.
/// Answers within 2 s even when the database hangs or is gone (the ping has its own deadline).
struct HealthRoute: Sendable {
    static let pingTimeout = TaskStore.pingTimeout

    let client: PostgresClient
    let listener: NotificationListener

    var endpoints: [Endpoint] {
        [
            Endpoint(.get, "/health", check),
            // Readiness: the same checks, for load balancers and orchestrators that separate the two.
            Endpoint(.get, "/readyz", check),
            Endpoint(.get, "/livez", alive),
        ]
    }

    /// Liveness: the process answers HTTP. Never looks at the database, so an outage does not get healthy API
    /// processes restarted (that would not bring PostgreSQL back).
    @Sendable func alive(_ request: Request, context: APIRequestContext) async throws -> Response {
        .json(.ok, HealthAnswer(status: "alive", timestamp: Timestamp.string()))
    }

    @Sendable func check(_ request: Request, context: APIRequestContext) async throws -> Response {
        let databaseUp = await TaskStore(client: client, logger: context.logger).ping(timeout: Self.pingTimeout)
        let queueUp = listener.isListening
        let healthy = databaseUp && queueUp
        let body = HealthAnswer(
            status: healthy ? "healthy" : "unhealthy", timestamp: Timestamp.string(),
            databaseStatus: databaseUp ? "connected" : "disconnected", queueStatus: queueUp ? "connected" : "disconnected"
        )
        if !healthy {
            context.logger.warning("Health check failed", metadata: [
                "database_up": .stringConvertible(databaseUp), "queue_up": .stringConvertible(queueUp),
            ])
        }
        return .json(healthy ? .ok : .serviceUnavailable, body)
    }
}
