import Hummingbird

/// Per-request state: Hummingbird's core context plus the correlation id the lifecycle middleware resolves.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by `RequestLifecycleMiddleware` before any handler runs.
    var correlationID: String = ""
    /// The API key's name, set by `AuthenticationMiddleware` when keys are configured; nil otherwise.
    var owner: String?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}
