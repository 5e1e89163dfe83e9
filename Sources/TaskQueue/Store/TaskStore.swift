import Foundation
import Logging
import PostgresNIO

/// All queue access: the API submits and reads, workers claim, complete, fail, extend and requeue.
/// Every state change writes its `status_history` rows in the same transaction as the task row, so no observer
/// ever sees one without the other; wake-ups (NOTIFY) follow the commit. The queue's prepared statements have
/// fixed `name`s: PostgresNIO's default, `String(reflecting:)` of the type, was computed on every execution.
public struct TaskStore: Sendable {
    public let client: PostgresClient
    let logger: Logger
    /// Longest any one operation may take. PostgresNIO's pool waits without limit for a connection
    /// while the server is down; callers (API requests, the worker loop) must get an answer instead.
    public var operationTimeout: Duration

    public init(client: PostgresClient, logger: Logger, operationTimeout: Duration = .seconds(10)) {
        self.client = client
        self.logger = logger
        self.operationTimeout = operationTimeout
    }

    /// SQL that renders a timestamptz as ISO 8601 UTC with microseconds and `Z`.
    static func iso(_ column: String) -> String {
        #"to_char(\#(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"#
    }

    /// Runs `body` within `operationTimeout`, mapping PostgresNIO errors to `TaskQueueError`.
    func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable () async throws -> T) async throws(TaskQueueError) -> T {
        let outcome = await firstResult(within: operationTimeout, otherwise: Result<T, any Error>.failure(
            TaskQueueError(.unavailable, "The database did not answer within \(operationTimeout).")
        )) {
            do {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw TaskQueueError.wrap(error, "Could not \(what).")
        }
    }

    static func encodeJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding these plain structs cannot fail.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
