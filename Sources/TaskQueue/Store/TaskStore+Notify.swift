import Foundation
import Logging
import PostgresNIO

extension TaskStore {
    /// Sends one notification in a transaction of its own, after the data it announces is committed. A commit
    /// that notifies holds a cluster-wide lock until it ends, and a data commit ends only after its WAL flush:
    /// with the notification inside, every submitting and completing transaction waited for the others' disk
    /// writes in turn. A notification is not data (it is lost in a crash anyway, and workers also poll), so its
    /// own transaction commits without waiting for the disk and holds the lock only for a moment.
    /// Failures (a full notification queue, a dropped connection) are logged, never thrown: the data is stored.
    /// One notification per committed batch of finished tasks: [{"task_id": ..., "status": ...}, ...] (a batch of
    /// at most 100 stays under PostgreSQL's 8000-byte payload limit). Nothing when `events` is empty.
    /// One entry of such a notification.
    static func finishedEvent(id: UUID, status: String) -> String {
        #"{"task_id":"\#(id.lowercasedString)","status":"\#(status)"}"#
    }

    func notifyFinished(_ events: [String]) async {
        guard !events.isEmpty else { return }
        await notify(QueueChannel.events, payload: "[" + events.joined(separator: ",") + "]")
    }

    func notify(_ channel: String, payload: String) async {
        do {
            _ = try await client.execute(NotifyStatement(channel: channel, payload: payload), logger: logger)
        } catch {
            logger.warning("Could not send a notification; workers' polling will pick the change up", metadata: [
                "channel": "\(channel)", "error": "\(String(reflecting: error))",
            ])
        }
    }
}

/// `pg_notify` with synchronous_commit off for this one transaction (it writes no data).
struct NotifyStatement: PostgresPreparedStatement {
    static let name = "qtq_notify"

    static let sql = "SELECT pg_notify($1, $2) FROM (SELECT set_config('synchronous_commit', 'off', true)) AS local_setting"

    typealias Row = ()

    var channel: String
    var payload: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(channel)
        bindings.append(payload)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {}
}
