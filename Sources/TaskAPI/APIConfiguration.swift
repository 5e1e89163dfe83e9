/// Where `qtq serve` listens and how much it accepts.
public struct APIConfiguration: Sendable {
    public var host: String = "0.0.0.0"
    public var port: Int = 8001
    /// Larger `POST /tasks` bodies get 413 (checked against Content-Length and while streaming).
    public var maxBodyBytes: Int = 1 << 20
    /// The same for `POST /tasks/batch` (up to 1,000 circuits).
    public var maxBatchBodyBytes: Int = 16 << 20
    /// How long a request waits for PostgreSQL before answering 503 `database_unavailable`.
    public var databaseTimeout: Duration = .seconds(5)
    /// A request whose body has not fully arrived this long after its headers is answered 408 and its connection
    /// closed (slow or stalled uploads cannot hold connections).
    public var requestBodyTimeout: Duration = .seconds(30)
    /// A keep-alive connection idle this long is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// Open connections at most; past it new ones wait in the listen backlog (file descriptors stay bounded).
    public var maxConnections = 1000
    /// Submission transactions in flight at once (group commit): fewer gives bigger batches, more gives lower
    /// latency at light load.
    public var concurrentSubmitTransactions = 1
    /// The folder `scripts/fetch-docs-assets` fills (Swagger UI and ReDoc bundles); without it `/docs` and
    /// `/redoc` answer 503 `docs_assets_missing`, and everything else works.
    public var docsAssetsDirectory: String?

    /// When set, requests need a key (see `AuthenticationMiddleware`) and each key sees only its own tasks.
    public var apiKeys: APIKeys?
    /// Browser origins allowed to call the API cross-origin (`*` for any); empty: none.
    public var corsOrigins: Set<String> = []

    public init() {}
}
