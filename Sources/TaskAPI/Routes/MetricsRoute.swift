import Hummingbird
import PostgresNIO
import TaskQueue

/// `GET /metrics` in Prometheus text format.
struct MetricsRoute: Sendable {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let client: PostgresClient
    let listener: NotificationListener
    let events: TaskEventHub
    let metrics: APIMetrics

    var endpoints: [Endpoint] { [Endpoint(.get, "/metrics", scrape)] }

    @Sendable func scrape(_ request: Request, context: APIRequestContext) async throws -> Response {
        // Queue depth only while the database is reachable, so a scrape never waits on an outage.
        let store = TaskStore(client: client, logger: context.logger, operationTimeout: HealthRoute.pingTimeout)
        if listener.isListening, let gauges = try? await store.queueGauges() {
            metrics.recordQueue(gauges)
        }
        metrics.recordWaiters(events.waiterCount)
        return .text(.ok, metrics.exposition(), contentType: Self.contentType)
    }
}
