import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The worker's `/metrics` (Prometheus text format) on `QTQ_METRICS_PORT`: a one-route Hummingbird server.
enum WorkerMetricsServer {
    static func make(registry: PrometheusCollectorRegistry, port: Int, logger: Logger) -> some Service {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: registry.emitToString()))
            )
        }
        let host = Environment.string("QTQ_METRICS_HOST") ?? "0.0.0.0"
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "qtq-worker"),
            logger: logger
        )
    }
}
