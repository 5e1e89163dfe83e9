import Hummingbird
import Logging
import PostgresNIO
import Prometheus
import TaskQueue

/// Builds the API application. Its service group runs, in order, `client` (whose `run()` the caller must
/// not also call), the API's `NotificationListener` on `QueueChannel.events` (what `/health` reports as
/// `queue_status`; `TaskEventHub` fans it out to `?wait` requests), then the HTTP server; graceful shutdown stops them in reverse.
///
/// `metricsRegistry` is this app's own (no global MetricsSystem); pass one to expose more metrics with it.
public func makeAPIApplication(
    configuration: APIConfiguration,
    client: PostgresClient,
    logger: Logger,
    metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
) -> some ApplicationProtocol {
    let listener = NotificationListener(client: client, channel: QueueChannel.events, logger: logger)
    let metrics = APIMetrics(registry: metricsRegistry)
    // Submissions share transactions (group commit); the batcher's store bounds each one by the API's timeout.
    var batching = SubmissionBatcher.Configuration()
    batching.maxConcurrentBatches = configuration.concurrentSubmitTransactions
    let submissions = SubmissionBatcher(
        store: TaskStore(client: client, logger: logger, operationTimeout: configuration.databaseTimeout),
        configuration: batching
    )
    let events = TaskEventHub(notifications: listener.notifications)
    let endpoints = TaskRoutes(
        client: client, submissions: submissions, events: events, maxBodyBytes: configuration.maxBodyBytes,
        maxBatchBodyBytes: configuration.maxBatchBodyBytes, databaseTimeout: configuration.databaseTimeout, metrics: metrics
    ).endpoints
        + HealthRoute(client: client, listener: listener).endpoints
        + MetricsRoute(client: client, listener: listener, events: events, metrics: metrics).endpoints
        + DocumentationRoutes(assets: DocumentationAssets(directory: configuration.docsAssetsDirectory)).endpoints

    let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Added before the routes so it wraps them and the not-found fallback.
    router.add(middleware: RequestLifecycleMiddleware(routes: RouteTable(endpoints), metrics: metrics))
    if !configuration.corsOrigins.isEmpty {
        router.add(middleware: CORSOriginsMiddleware(origins: configuration.corsOrigins))
    }
    if let keys = configuration.apiKeys {
        router.add(middleware: AuthenticationMiddleware(keys: keys))
    }
    for endpoint in endpoints {
        router.on(RouterPath(endpoint.path), method: endpoint.method, use: endpoint.handler)
    }
    let idleMilliseconds = Int64(configuration.idleTimeout / .milliseconds(1))
    return Application(
        router: router,
        server: .http1(configuration: .init(
            additionalChannelHandlers: [RequestBodyTimeoutHandler(timeout: configuration.requestBodyTimeout, logger: logger)],
            idleTimeout: .milliseconds(idleMilliseconds)
        )),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            availableConnectionsDelegate: .maximum(configuration.maxConnections, logger: logger)
        ),
        services: [client, listener, events, submissions],
        logger: logger
    )
}
