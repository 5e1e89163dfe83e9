import Hummingbird

/// Per-request state: Hummingbird's core context plus the correlation id the lifecycle middleware resolves.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by `RequestLifecycleMiddleware` before any handler runs.
    var correlationID: String = ""

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}
