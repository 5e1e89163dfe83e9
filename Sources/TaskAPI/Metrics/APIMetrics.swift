import CoreMetrics
import Metrics
import Prometheus
import TaskQueue

/// The API's metrics, kept in a registry this app owns (no global MetricsSystem, so several apps can run
/// in one process, e.g. in tests). Routes are labelled by template, never by raw path.
struct APIMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let submitted: CoreMetrics.Counter

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
        // Created up front so the series exists (at 0) before the first submission.
        self.submitted = CoreMetrics.Counter(label: "qtq_tasks_submitted_total", factory: factory)
    }

    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let labels = [("route", route), ("method", method), ("status", String(status))]
        CoreMetrics.Counter(label: "qtq_http_requests_total", dimensions: labels, factory: factory).increment()
        let (seconds, attoseconds) = duration.components
        CoreMetrics.Timer(label: "qtq_http_request_duration_seconds", dimensions: labels, factory: factory)
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func recordSubmission() {
        submitted.increment()
    }

    /// Queue depth per status, refreshed when /metrics is scraped.
    func recordQueue(_ stats: QueueStats) {
        for (status, count) in [("pending", stats.pending), ("processing", stats.processing),
                                ("completed", stats.completed), ("failed", stats.failed)] {
            CoreMetrics.Gauge(label: "qtq_queue_tasks", dimensions: [("status", status)], factory: factory).record(count)
        }
    }

    /// Prometheus text exposition format.
    func exposition() -> String {
        registry.emitToString()
    }
}
