import Foundation
import HTTPTypes
import Logging
import PostgresNIO
@testable import TaskAPI
import TaskQueue
import Testing
import TestSupport

/// A 202 means committed: a POST whose COMMIT fails gets no task id, the error envelope, and nothing is stored.
@Suite struct CommitBeforeAnswerTests {
    let logger = Logger(label: "test")

    func post(circuit: String, database: TestDatabase, key: String? = nil) async throws -> APIResponse {
        var fields: HTTPFields = [:]
        if let key { fields[HTTPField.Name("Idempotency-Key")!] = key }
        let headers = fields
        return try await APITestServer.run(database: database.url) { client in
            try await client.send(.post, "/tasks", body: #"{"qc": "\#(circuit)", "shots": 10}"#, headers: headers)
        }
    }

    @Test(arguments: [nil, "key-1"])
    func aCommitRefusedByTheDatabaseIs500AndStoresNothing(key: String?) async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { try await CommitTrap.install($0, logger: logger) }
        let response = try await post(circuit: CommitTrap.refusedCircuit, database: database, key: key)
        #expect(response.status == .internalServerError)
        #expect(response["error"] == "internal_error")
        #expect(response["task_id"] == nil)
        #expect(response["correlation_id"]?.stringValue == response.correlationID)
        let stored = try await database.withClient { try await CommitTrap.storedRows($0, logger: logger) }
        #expect(stored.tasks == 0 && stored.history == 0)
    }

    @Test func aConnectionLostDuringCommitIs503AndStoresNothing() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { try await CommitTrap.install($0, logger: logger) }
        let response = try await post(circuit: CommitTrap.fatalCircuit, database: database)
        #expect(response.status == .serviceUnavailable)
        #expect(response["error"] == "database_unavailable")
        #expect(response["task_id"] == nil)
        #expect(response.headers[HTTPField.Name("Retry-After")!] != nil)
        let stored = try await database.withClient { try await CommitTrap.storedRows($0, logger: logger) }
        #expect(stored.tasks == 0 && stored.history == 0)
    }

    @Test func aGoodSubmissionNextToARefusedOneIsStored() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { try await CommitTrap.install($0, logger: logger) }
        let (bad, good) = try await APITestServer.run(database: database.url) { client in
            async let bad = client.send(.post, "/tasks", body: #"{"qc": "\#(CommitTrap.refusedCircuit)"}"#)
            async let good = client.send(.post, "/tasks", body: #"{"qc": "OPENQASM 3.0;"}"#)
            return (try await bad, try await good)
        }
        #expect(bad.status == .internalServerError)
        #expect(good.status == .accepted)
        let stored = try await database.withClient { try await CommitTrap.storedRows($0, logger: logger) }
        #expect(stored.tasks == 1 && stored.history == 1)
    }
}
