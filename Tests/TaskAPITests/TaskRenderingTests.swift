import Foundation
import HTTPTypes
import Logging
@testable import TaskAPI
import TaskQueue
import Testing
import TestSupport

/// Completed and failed tasks, finished through the same TaskStore calls a worker makes.
@Suite struct TaskRenderingTests {
    @Test func completedAndFailedTasksRenderTheirOutcome() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            let completedID = try #require(try await client.send(.post, "/tasks", body: #"{"qc": "ok", "shots": 10, "seed": 7}"#)["task_id"]?.stringValue)
            let failedID = try #require(try await client.send(.post, "/tasks", body: #"{"qc": "bad", "shots": 3}"#)["task_id"]?.stringValue)
            let crashedID = try #require(try await client.send(.post, "/tasks", body: #"{"qc": "worse", "shots": 3}"#)["task_id"]?.stringValue)

            let finished = try await database.withClient { postgres in
                try await Self.finish(
                    store: TaskStore(client: postgres, logger: Logger(label: "test")),
                    completed: completedID, failed: failedID, crashed: crashedID
                )
            }
            #expect(finished == [true, true, true])

            let completed = try await client.send(.get, "/tasks/\(completedID)")
            #expect(completed.status == .ok)
            #expect(completed["status"] == "completed")
            #expect(completed["message"] == "Task completed successfully.")
            #expect(completed["result"] == ["counts": ["00": 4, "11": 6], "shots": 10, "success": true, "seed": 7])
            #expect(completed["error"] == nil)
            #expect(completed["status_history"]?.arrayValue?.compactMap { $0["status"]?.stringValue } == ["pending", "processing", "completed"])
            #expect(completed["status_history"]?.arrayValue?.last?["notes"] == "Task completed successfully")

            let failed = try await client.send(.get, "/tasks/\(failedID)")
            #expect(failed["status"] == "failed")
            #expect(failed["message"] == "Task execution failed.")
            #expect(failed["result"] == .null)
            #expect(failed["error"] == ["type": "syntax", "message": "Expected ';' after 'h q'.", "line": 3, "column": 7])
            #expect(failed["status_history"]?.arrayValue?.compactMap { $0["status"]?.stringValue } == ["pending", "processing", "failed"])

            let crashed = try await client.send(.get, "/tasks/\(crashedID)")
            #expect(crashed["error"] == ["type": "simulation", "message": "Too many qubits."])
        }
    }

    /// Claims the three tasks as worker "w1" and finishes each as a worker would.
    private static func finish(store: TaskStore, completed: String, failed: String, crashed: String) async throws -> [Bool] {
        let claimed = try await store.claim(workerID: "w1", limit: 3, lease: .seconds(60))
        func task(_ id: String) throws -> ClaimedTask {
            try #require(claimed.first { $0.id.uuidString.lowercased() == id })
        }
        return [
            try await store.complete(try task(completed), workerID: "w1",
                                     result: TaskResult(counts: ["11": 6, "00": 4], shots: 10, seed: 7)),
            try await store.fail(try task(failed), workerID: "w1",
                                 failure: TaskFailure(type: "syntax", message: "Expected ';' after 'h q'.", line: 3, column: 7)),
            try await store.fail(try task(crashed), workerID: "w1",
                                 failure: TaskFailure(type: "simulation", message: "Too many qubits.")),
        ]
    }

    @Test func processingTaskHasNoResultYet() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            let id = try #require(try await client.send(.post, "/tasks", body: #"{"qc": "x"}"#)["task_id"]?.stringValue)
            try await database.withClient { postgres in
                _ = try await TaskStore(client: postgres, logger: Logger(label: "test")).claim(workerID: "w", limit: 1, lease: .seconds(60))
            }
            let response = try await client.send(.get, "/tasks/\(id)")
            #expect(response["status"] == "processing")
            #expect(response["message"] == "Task is being processed.")
            #expect(response["result"] == .null)
        }
    }
}
