import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Keeps one connection LISTENing on a channel and re-establishes it when PostgreSQL goes away.
/// Each notification's payload is yielded to `notifications`; after every (re)connect an empty
/// payload is yielded too, so the consumer re-checks the table for anything sent while it was deaf.
public final class NotificationListener: Service, Sendable {
    public let channel: String
    public let notifications: AsyncStream<String>

    private let client: PostgresClient
    private let logger: Logger
    private let continuation: AsyncStream<String>.Continuation
    private let listening = Mutex(false)

    public init(client: PostgresClient, channel: String, logger: Logger) {
        self.client = client
        self.channel = channel
        self.logger = logger
        // A burst of notifications only needs to wake the consumer once.
        (notifications, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(64))
    }

    /// Whether the LISTEN connection is currently up (the API's `queue_status`).
    public var isListening: Bool { listening.withLock { $0 } }

    public func run() async {
        // Also while disconnected (waiting for a connection or backing off), shutdown must end this promptly.
        await cancelWhenGracefulShutdown {
            await self.listenUntilCancelled()
        }
        continuation.finish()
    }

    private func listenUntilCancelled() async {
        var backoff = Duration.milliseconds(200)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { sequence in
                        setListening(true)
                        backoff = .milliseconds(200)
                        continuation.yield("")
                        for try await notification in sequence.cancelOnGracefulShutdown() {
                            continuation.yield(notification.payload)
                        }
                    }
                }
            } catch {
                if !Task.isCancelled {
                    logger.warning("Notification channel lost; reconnecting", metadata: [
                        "channel": "\(channel)", "error": "\(String(reflecting: error))",
                    ])
                }
            }
            setListening(false)
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
    }

    private func setListening(_ value: Bool) {
        listening.withLock { $0 = value }
    }
}
