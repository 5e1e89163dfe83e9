import Foundation
import Logging
import PostgresNIO

/// All queue access: the API submits and reads, workers claim, complete, fail, extend and requeue.
/// Every state change is one SQL statement (one implicit transaction) that also writes its
/// `status_history` row and its NOTIFY, so no observer ever sees one without the other.
public struct TaskStore: Sendable {
    public let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// SQL that renders a timestamptz as ISO 8601 UTC with microseconds and `Z`.
    static func iso(_ column: String) -> String {
        #"to_char(\#(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"#
    }

    /// Runs `body`, mapping PostgresNIO errors to `TaskQueueError`.
    func run<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws(TaskQueueError) -> T {
        do {
            return try await body()
        } catch {
            throw TaskQueueError.wrap(error, "Could not \(what).")
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
