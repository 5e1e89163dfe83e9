import Foundation
import Logging
import PostgresNIO
@testable import TaskQueue
import Testing
import TestSupport

/// The worker's prepared statements keep one plan per connection (`force_generic_plan`), made from the statistics and
/// the table size of the moment they first run. Made at the wrong moment, a plan that joins the bound ids to the
/// table or scans it reads every task (or every pending task) per call, for as long as the connection lives: a
/// 3-worker benchmark fell to 381 tasks/s that way. Each statement is run once through the worker's own connection
/// settings in such a moment, and its cached plan must reach `tasks` only by row address, by primary key, or through
/// the partial index of the few rows the statement is about.
@Suite struct QueryPlanTests {
    let logger = Logger(label: "test")

    /// The moments that mislead the planner.
    enum Moment: String, CaseIterable, CustomTestStringConvertible {
        /// A fresh install: never analysed, a few pages.
        case youngTable
        /// Analysed while empty (autovacuum after a test run or a retention sweep).
        case analysedEmpty
        /// Analysed after an idle spell (no task pending or running), then a backlog arrived.
        case analysedIdleThenBacklog

        var testDescription: String { rawValue }
    }

    /// A worker statement, the partial index it may read (its own filter names it), and how to run it once with
    /// nothing to do, so that its plan is made and cached on the connection.
    struct Checked: Sendable {
        var name: String
        var parameterCount: Int
        var partialIndex: String?
        var runOnce: @Sendable (PostgresConnection, Logger) async throws -> Void
    }

    static let statements: [Checked] = [
        Checked(name: LockClaimableStatement.name, parameterCount: 1, partialIndex: "tasks_pending_idx") { connection, logger in
            for try await _ in try await connection.execute(LockClaimableStatement(limit: 0), logger: logger) {}
        },
        Checked(name: SettleClaimStatement.name, parameterCount: 9, partialIndex: nil) { connection, logger in
            let settle = SettleClaimStatement([], outcomes: [], workerID: "w", leaseSeconds: 30)
            for try await _ in try await connection.execute(settle, logger: logger) {}
        },
        Checked(name: ClaimStatement.name, parameterCount: 3, partialIndex: "tasks_pending_idx") { connection, logger in
            for try await _ in try await connection.execute(ClaimStatement(limit: 0, workerID: "w", leaseSeconds: 30), logger: logger) {}
        },
        // The processing rows are the claims in flight: as many as the workers' capacity, whatever the table's size.
        Checked(name: RecordOutcomesStatement.name, parameterCount: 8, partialIndex: "tasks_processing_lease_idx") { connection, logger in
            // An empty batch is not sent by `apply`; run the statement itself.
            for try await _ in try await connection.execute(RecordOutcomesStatement([], workerID: "w"), logger: logger) {}
        },
    ]

    @Test(arguments: Moment.allCases)
    func theWorkersCachedPlansReachTasksByAddressOrKey(moment: Moment) async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in try await prepare(moment, with: client) }
        // The worker's own connection settings (Work.swift).
        let client = PostgresClient(
            configuration: database.url.clientConfiguration(maximumConnections: 1, sequentialScans: false), backgroundLogger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.withConnection { connection in
                if moment == .analysedIdleThenBacklog {
                    // The plans are made now, from statistics that say nothing is pending; then the backlog comes.
                    for statement in Self.statements { try await statement.runOnce(connection, logger) }
                    try await addBacklog(on: connection)
                }
                for statement in Self.statements {
                    try await statement.runOnce(connection, logger)
                    let nulls = Array(repeating: "NULL", count: statement.parameterCount).joined(separator: ", ")
                    let explain = PostgresQuery(unsafeSQL: "EXPLAIN (FORMAT JSON) EXECUTE \(statement.name)(\(nulls))")
                    var plan = ""
                    for try await text in try await connection.query(explain, logger: logger).decode(String.self) { plan = text }
                    let reads = try Self.tableReads(inPlan: plan)
                    let wrong = reads.filter { !$0.isKeyed(allowing: statement.partialIndex) }
                    #expect(wrong.isEmpty, "\(statement.name) after \(moment.rawValue) reads tasks by \(wrong): \(plan)")
                    #expect(!reads.isEmpty, "\(statement.name): no read of tasks found in \(plan)")
                }
            }
        }
    }

    /// Brings the database to `moment` through an ordinary connection.
    func prepare(_ moment: Moment, with client: PostgresClient) async throws {
        switch moment {
        case .youngTable:
            break
        case .analysedEmpty:
            _ = try await client.query("ANALYZE tasks", logger: logger)
        case .analysedIdleThenBacklog:
            _ = try await client.query("""
                INSERT INTO tasks (task_id, circuit, shots, current_status, submitted_at, started_at, completed_at, attempts)
                SELECT gen_random_uuid(), 'OPENQASM 3.0;', 1, 'completed', now() - interval '2 hours' + g * interval '1 ms',
                       now() - interval '1 hour', now() - interval '1 hour', 1
                FROM generate_series(1, 20000) AS g
                """, logger: logger)
            _ = try await client.query("ANALYZE tasks", logger: logger)
        }
    }

    /// 5,000 pending and 300 running tasks that the statistics do not know of.
    func addBacklog(on connection: PostgresConnection) async throws {
        _ = try await connection.query("""
            INSERT INTO tasks (task_id, circuit, shots, current_status, submitted_at)
            SELECT gen_random_uuid(), 'OPENQASM 3.0;', 1, 'pending', now() + g * interval '1 ms'
            FROM generate_series(1, 5000) AS g
            """, logger: logger)
        _ = try await connection.query("""
            INSERT INTO tasks (task_id, circuit, shots, current_status, submitted_at, started_at, attempts, locked_by, lease_expires_at)
            SELECT gen_random_uuid(), 'OPENQASM 3.0;', 1, 'processing', now(), now(), 1, 'w', now() + interval '1 minute'
            FROM generate_series(1, 300) AS g
            """, logger: logger)
    }

    /// How a plan node reads `tasks`.
    struct TableRead: CustomStringConvertible, Equatable {
        var node: String
        var index: String?
        var hasIndexCondition: Bool

        /// By address, by primary key, or through `partialIndex`: never the whole table or a whole index.
        func isKeyed(allowing partialIndex: String?) -> Bool {
            if node == "Tid Scan" { return true }
            guard let index else { return false }  // Seq Scan, or a heap node whose index child is checked on its own
            if index == "tasks_pkey" { return hasIndexCondition }
            return index == partialIndex
        }

        var description: String { [node, index, hasIndexCondition ? "with index condition" : nil].compactMap { $0 }.joined(separator: " ") }
    }

    /// Every node of an `EXPLAIN (FORMAT JSON)` plan that reads `tasks` or one of its indexes (bitmap heap scans
    /// are represented by their index scans).
    static func tableReads(inPlan json: String) throws -> [TableRead] {
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8))
        var reads: [TableRead] = []
        func visit(_ node: [String: Any]) {
            let type = node["Node Type"] as? String ?? ""
            let index = node["Index Name"] as? String
            if let index, index.hasPrefix("tasks_") {
                reads.append(TableRead(node: type, index: index, hasIndexCondition: node["Index Cond"] != nil))
            } else if node["Relation Name"] as? String == "tasks", type != "Bitmap Heap Scan", type != "ModifyTable" {
                reads.append(TableRead(node: type, index: nil, hasIndexCondition: false))
            }
            for child in node["Plans"] as? [[String: Any]] ?? [] { visit(child) }
        }
        for entry in root as? [[String: Any]] ?? [] {
            if let plan = entry["Plan"] as? [String: Any] { visit(plan) }
        }
        return reads
    }
}
