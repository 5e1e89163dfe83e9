import Foundation
import Logging
import PostgresNIO
import TaskQueue
import TestSupport

/// A fresh database plus real `qtq serve` / `qtq work` processes against it.
struct Harness {
    let database: TestDatabase
    let logger = Logger(label: "e2e")

    static func make(on server: DatabaseURL? = nil) async throws -> Harness {
        Harness(database: try await TestDatabase.create(on: server))
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["DATABASE_URL": database.urlString, "QTQ_LOG_LEVEL": "info"].merging(extra) { _, new in new }
    }

    func startWorker(id: String, concurrency: Int = 2, lease: Double = 30, grace: Double = 20,
                     extra: [String: String] = [:]) throws -> QTQProcess {
        try QTQProcess(["work"], environment: environment([
            "QTQ_WORKER_ID": id,
            "QTQ_WORKER_CONCURRENCY": "\(concurrency)",
            "QTQ_LEASE_SECONDS": "\(lease)",
            "QTQ_SHUTDOWN_GRACE_SECONDS": "\(grace)",
        ].merging(extra) { _, new in new }))
    }

    /// Starts the API on a free port and waits until /health answers.
    func startAPI(extra: [String: String] = [:]) async throws -> (QTQProcess, HTTPTestClient) {
        let port = try freePort()
        let api = try QTQProcess(["serve"], environment: environment(
            ["QTQ_HOST": "127.0.0.1", "QTQ_PORT": "\(port)"].merging(extra) { _, new in new }
        ))
        let client = HTTPTestClient(port: port)
        let up = await eventually(timeout: .seconds(30)) {
            (try? await client.send("GET", "health").status) == 200
        }
        guard up else { throw TestSetupError("qtq serve did not become healthy; log:\n\(api.log)") }
        return (api, client)
    }

    /// Waits until `count` workers hold LISTEN connections on this database (they are ready for NOTIFY).
    func waitForListeners(_ count: Int) async throws -> Bool {
        try await eventually(timeout: .seconds(30)) {
            try await database.withClient { client in
                let rows = try await client.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = \(database.name) AND query ILIKE 'LISTEN%'",
                    logger: logger
                )
                var listening = 0
                for try await value in rows.decode(Int.self) { listening = value }
                return listening >= count
            }
        }
    }

    func withStore<T: Sendable>(_ body: @Sendable (TaskStore) async throws -> T) async throws -> T {
        try await database.withClient { client in try await body(TaskStore(client: client, logger: logger)) }
    }

    func task(_ id: UUID) async throws -> TaskRecord? {
        try await withStore { try await $0.task(id: id) }
    }

    /// Polls until the task reaches `status` (or the deadline passes) and returns its last state.
    func waitFor(_ id: UUID, status: Set<TaskStatus>, timeout: Duration = .seconds(60)) async throws -> TaskRecord? {
        var last: TaskRecord?
        _ = try await eventually(timeout: timeout, every: .milliseconds(25)) {
            last = try await task(id)
            return last.map { status.contains($0.status) } ?? false
        }
        return last
    }
}

enum Circuits {
    static let bell = """
        OPENQASM 3.0;
        include "stdgates.inc";
        qubit[2] q;
        bit[2] c;
        h q[0];
        cx q[0], q[1];
        c = measure q;
        """

    static let x = """
        OPENQASM 3.0;
        include "stdgates.inc";
        qubit[1] q;
        bit[1] c;
        x q[0];
        c[0] = measure q[0];
        """

    /// Slow enough to be caught mid-run: `layers` rounds of entangling gates on `qubits` qubits.
    static func slow(qubits: Int = 20, layers: Int) -> String {
        """
        OPENQASM 3.0;
        include "stdgates.inc";
        qubit[\(qubits)] q;
        bit[\(qubits)] c;
        for int layer in [1:\(layers)] {
            for int i in [0:\(qubits - 2)] {
                rx(0.1 * layer) q[i];
                cx q[i], q[i + 1];
                rz(0.2 * i) q[i + 1];
            }
        }
        c = measure q;
        """
    }
}

extension HTTPTestClient.Response {
    var taskID: UUID? { (json?["task_id"] as? String).flatMap { UUID(uuidString: $0) } }
}
