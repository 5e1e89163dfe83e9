import CoreMetrics
import Metrics
import Prometheus
import Synchronization
import TaskQueue

/// The API's metrics, kept in a registry this app owns (no global MetricsSystem, so several apps can run
/// in one process, e.g. in tests). Routes are labelled by template, never by raw path.
struct APIMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let submitted: CoreMetrics.Counter
    private let requestSeries = RequestSeries()

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
        // Created up front so the series exists (at 0) before the first submission.
        self.submitted = CoreMetrics.Counter(label: "qtq_tasks_submitted_total", factory: factory)
    }

    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let series = requestSeries.series(route: route, method: method, status: status, factory: factory)
        series.count.increment()
        series.duration.recordNanoseconds(Int64(duration / .nanoseconds(1)))
    }

    func recordSubmission(count: Int = 1) {
        submitted.increment(by: Int64(count))
    }

    /// Queue depth (pending, processing) and the oldest pending task's age, refreshed when /metrics is scraped.
    func recordQueue(_ gauges: QueueGauges) {
        for (status, count) in [("pending", gauges.pending), ("processing", gauges.processing)] {
            CoreMetrics.Gauge(label: "qtq_queue_tasks", dimensions: [("status", status)], factory: factory).record(count)
        }
        CoreMetrics.Gauge(label: "qtq_queue_oldest_pending_age_seconds", factory: factory).record(gauges.oldestPendingAgeSeconds)
    }

    /// Requests waiting in `GET /tasks/{id}?wait=S`, refreshed when /metrics is scraped.
    func recordWaiters(_ count: Int) {
        CoreMetrics.Gauge(label: "qtq_task_waiters", factory: factory).record(count)
    }

    /// Prometheus text exposition format.
    func exposition() -> String {
        registry.emitToString()
    }
}

/// The request counter and timer per (route, method, status), made once: looking a series up in the registry
/// on every request (label arrays, a lock, string hashing) was a visible share of a POST's CPU.
final class RequestSeries: Sendable {
    struct Key: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    struct Series: Sendable {
        var count: CoreMetrics.Counter
        var duration: CoreMetrics.Timer
    }

    private let cache = Mutex<[Key: Series]>([:])

    func series(route: String, method: String, status: Int, factory: PrometheusMetricsFactory) -> Series {
        let key = Key(route: route, method: method, status: status)
        if let series = cache.withLock({ $0[key] }) { return series }
        let labels = [("route", route), ("method", method), ("status", String(status))]
        let series = Series(
            count: CoreMetrics.Counter(label: "qtq_http_requests_total", dimensions: labels, factory: factory),
            duration: CoreMetrics.Timer(label: "qtq_http_request_duration_seconds", dimensions: labels, factory: factory)
        )
        cache.withLock { $0[key] = series }
        return series
    }
}
