import Foundation
import HTTPTypes
import Logging
import PostgresNIO
@testable import TaskAPI
import TaskQueue
import Synchronization
import Testing
import TestSupport

@Suite struct SubmitAndReadTests {
    static let bell = "OPENQASM 3.0; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; c = measure q;"

    @Test func submitAnswers202AndStoresTheTask() async throws {
        let database = try await TestDatabase.create()
        let body = #"{"qc": "\#(Self.bell)", "shots": 512, "seed": 18446744073709551615, "extra": "ignored"}"#
        let response = try await APITestServer.run(database: database.url) { client in
            try await client.send(.post, "/tasks", body: body, headers: [.correlationID: "submit-test.1"])
        }
        #expect(response.status == .accepted)
        #expect(response.contentType == "application/json; charset=utf-8")
        #expect(response.json.keys == ["correlation_id", "message", "submitted_at", "task_id"])  // sorted: JSONCoding
        let id = try #require(response["task_id"]?.stringValue)
        #expect(UUID(uuidString: id) != nil && id == id.lowercased())
        #expect(response.headers[.location] == "/tasks/\(id)")
        #expect(response["message"] == "Task submitted successfully.")
        #expect(response["submitted_at"]?.stringValue?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil)
        #expect(response["correlation_id"] == "submit-test.1")
        #expect(response.correlationID == "submit-test.1")

        try await database.withClient { client in
            let record = try #require(try await TaskStore(client: client, logger: Logger(label: "test")).task(id: UUID(uuidString: id)!))
            #expect(record.status == .pending)
            #expect(record.shots == 512)
            #expect(record.correlationID == "submit-test.1")
            #expect(record.submittedAt == response["submitted_at"]?.stringValue)
            #expect(record.history.map(\.status) == [.pending])
            #expect(record.history.first?.notes == "Task created and queued")
            let rows = try await client.query("SELECT circuit, seed FROM tasks WHERE task_id = \(UUID(uuidString: id)!)")
            for try await (circuit, seed) in rows.decode((String, Int64?).self) {
                #expect(circuit == Self.bell)
                #expect(seed.map { UInt64(bitPattern: $0) } == UInt64.max)
            }
        }
    }

    @Test func aRetryWithTheSameIdempotencyKeyReturnsTheFirstTask() async throws {
        let database = try await TestDatabase.create()
        let key = HTTPField.Name("Idempotency-Key")!
        let body = #"{"qc": "\#(Self.bell)", "shots": 100}"#
        let (first, retry, changed, tooLong) = try await APITestServer.run(database: database.url) { client in
            (try await client.send(.post, "/tasks", body: body, headers: [key: "order-42"]),
             try await client.send(.post, "/tasks", body: body, headers: [key: "order-42"]),
             try await client.send(.post, "/tasks", body: #"{"qc": "\#(Self.bell)", "shots": 101}"#, headers: [key: "order-42"]),
             try await client.send(.post, "/tasks", body: body, headers: [key: String(repeating: "k", count: 256)]))
        }
        #expect(first.status == .accepted)
        #expect(retry.status == .ok)
        #expect(retry["task_id"] == first["task_id"])
        #expect(retry["submitted_at"] == first["submitted_at"])
        #expect(retry["message"] == "Task already submitted with this Idempotency-Key.")
        #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
        #expect(changed.status == .conflict)
        #expect(changed["error"] == "idempotency_key_reused")
        #expect(changed["message"]?.stringValue?.contains("order-42") == true)
        #expect(tooLong.status == .badRequest)
        #expect(tooLong["error"] == "invalid_idempotency_key")
        try await database.withClient { client in
            for try await count in try await client.query("SELECT count(*)::int FROM tasks").decode(Int.self) {
                #expect(count == 1)
            }
        }
    }

    @Test func shotsDefaultTo1024() async throws {
        let database = try await TestDatabase.create()
        let id = try await APITestServer.run(database: database.url) { client in
            try await client.send(.post, "/tasks", body: #"{"qc": "OPENQASM 2.0; qreg q[1];"}"#)["task_id"]?.stringValue
        }
        try await database.withClient { client in
            let record = try await TaskStore(client: client, logger: Logger(label: "test")).task(id: try #require(id.flatMap { UUID(uuidString: $0) }))
            #expect(record?.shots == 1024)
        }
    }

    @Test func getShowsAPendingTask() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            let submitted = try await client.send(.post, "/tasks", body: #"{"qc": "OPENQASM 3.0; qubit q;"}"#,
                                                  headers: [.correlationID: "submitter"])
            let id = try #require(submitted["task_id"]?.stringValue)
            let response = try await client.send(.get, "/tasks/\(id)", headers: [.correlationID: "poller"])
            #expect(response.status == .ok)
            #expect(response.contentType == "application/json; charset=utf-8")
            #expect(response.json.keys == [
                "attempts", "completed_at", "correlation_id", "duration_seconds", "message", "precision", "queue_position", "result",
                "seed", "shots", "started_at", "status", "status_history", "submitted_at", "task_correlation_id", "task_id",
            ])
            #expect(response["task_id"] == .string(id))
            #expect(response["status"] == "pending")
            #expect(response["submitted_at"] == submitted["submitted_at"])
            #expect(response["message"] == "Task is still in progress.")
            #expect(response["result"] == .null)
            #expect(response["error"] == nil)
            #expect(response["status_history"] == [
                ["status": "pending", "transitioned_at": submitted["submitted_at"]!, "notes": "Task created and queued"],
            ])
            #expect(response["correlation_id"] == "poller")
            #expect(response["task_correlation_id"] == "submitter")
            #expect(response.correlationID == "poller")

            // Ids are case-insensitive, like UUIDs.
            let upper = try await client.send(.get, "/tasks/\(id.uppercased())")
            #expect(upper.status == .ok && upper["task_id"] == .string(id))
        }
    }

    @Test func everyRequestLogsOneLineWithItsCorrelationID() async throws {
        let database = try await TestDatabase.create()
        let (logger, logs) = RecordingLogHandler.logger()
        let taskID = Mutex<String?>(nil)
        try await APITestServer.run(database: database.url, logger: logger) { client in
            let submitted = try await client.send(.post, "/tasks", body: #"{"qc": "x"}"#, headers: [.correlationID: "logged-1"])
            taskID.withLock { $0 = submitted["task_id"]?.stringValue }
            _ = try await client.send(.get, "/nope", headers: [.correlationID: "logged-2"])
        }
        let handled = logs.all.filter { $0.message == "Request handled" }
        let submit = try #require(handled.first { $0.metadata["correlation_id"] == "logged-1" })
        #expect(submit.level == .info)
        #expect(submit.metadata["http.method"] == "POST")
        #expect(submit.metadata["http.path"] == "/tasks")
        #expect(submit.metadata["http.status_code"]?.description == "202")
        #expect(submit.metadata["duration_ms"].flatMap { Double($0.description) } != nil)
        let miss = try #require(handled.first { $0.metadata["correlation_id"] == "logged-2" })
        #expect(miss.metadata["http.status_code"]?.description == "404")
        #expect(handled.filter { $0.metadata["correlation_id"] == "logged-1" }.count == 1)
        // The one line of a submission also names the task it stored.
        #expect(submit.metadata["task.id"]?.description == taskID.withLock { $0 })
        #expect(taskID.withLock { $0 } != nil)
        #expect(miss.metadata["task.id"] == nil)
    }
}
