import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PostgresNIO
@testable import TaskAPI
import TaskQueue
import Testing
import TestSupport

/// `GET /tasks` (list), `POST /tasks/batch`, `POST /tasks/{id}/cancel` and the task body's run fields, over real
/// HTTP against a real PostgreSQL. Tasks are moved through their states with the same TaskStore calls a worker makes.
@Suite struct TaskCollectionTests {
    static let bell = "OPENQASM 3.0; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; c = measure q;"

    static func submit(_ client: some TestClientProtocol, shots: Int = 10, correlation: String = "c") async throws -> String {
        let response = try await client.send(.post, "/tasks", body: #"{"qc": "\#(bell)", "shots": \#(shots)}"#,
                                             headers: [.correlationID: correlation])
        return try #require(response["task_id"]?.stringValue)
    }

    @Test func listPagesNewestFirstWithFiltersAndCursor() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            var submitted: [String] = []
            for index in 0..<7 { submitted.append(try await Self.submit(client, shots: index + 1, correlation: index < 3 ? "a" : "b")) }
            let ids = submitted
            // Task 0 completed, task 1 failed: claimed in submission order.
            try await database.withClient { postgres in
                let store = TaskStore(client: postgres, logger: Logger(label: "test"))
                let claimed = try await store.claim(workerID: "w", limit: 2, lease: .seconds(60))
                #expect(claimed.map { $0.id.uuidString.lowercased() } == Array(ids[0...1]))
                #expect(try await store.complete(claimed[0], workerID: "w", result: TaskResult(counts: ["00": 1], shots: 1)))
                #expect(try await store.fail(claimed[1], workerID: "w", failure: TaskFailure(type: "syntax", message: "bad", line: 1, column: 2)))
            }

            // Pages of 3, newest first, until next_cursor is null.
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await client.send(.get, "/tasks?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == .ok)
                let tasks = try #require(page["tasks"]?.arrayValue)
                #expect(tasks.count <= 3)
                #expect(tasks.first?.keys == ["attempts", "completed_at", "precision", "seed", "shots", "started_at", "status",
                                              "submitted_at", "task_correlation_id", "task_id"])
                #expect(tasks.first?["precision"]?.stringValue == "double")
                seen += tasks.compactMap { $0["task_id"]?.stringValue }
                cursor = page["next_cursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == ids.reversed())
            #expect(pages == 3)

            let pending = try await client.send(.get, "/tasks?status=pending")
            #expect(pending["tasks"]?.arrayValue?.count == 5)
            let finished = try await client.send(.get, "/tasks?status=completed,failed&include=result")
            let finishedTasks = try #require(finished["tasks"]?.arrayValue)
            #expect(finishedTasks.compactMap { $0["task_id"]?.stringValue } == [ids[1], ids[0]])
            #expect(finishedTasks[1]["result"] == ["counts": ["00": 1], "shots": 1, "success": true])
            #expect(finishedTasks[0]["error"] == ["type": "syntax", "message": "bad", "line": 1, "column": 2])
            #expect(finishedTasks[1]["attempts"] == 1)

            let byCorrelation = try await client.send(.get, "/tasks?correlation_id=a")
            #expect(byCorrelation["tasks"]?.arrayValue?.compactMap { $0["task_id"]?.stringValue } == Array(ids[0...2]).reversed())

            let all = try await client.send(.get, "/tasks")
            let times = try #require(all["tasks"]?.arrayValue?.compactMap { $0["submitted_at"]?.stringValue })
            // Since the third task's time (inclusive), until the sixth's (exclusive): tasks 2, 3, 4.
            let window = try await client.send(.get, "/tasks?since=\(times[4])&until=\(times[1])")
            #expect(window["tasks"]?.arrayValue?.compactMap { $0["task_id"]?.stringValue } == [ids[4], ids[3], ids[2]])
            let future = try await client.send(.get, "/tasks?since=2999-01-01")
            #expect(future["tasks"]?.arrayValue?.isEmpty == true)
            #expect(future["next_cursor"] == .null)
        }
    }

    @Test func listRejectsBadParametersWith400() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            let cases: [(String, String)] = [
                ("/tasks?status=done", "status"), ("/tasks?status=pending,", "status"), ("/tasks?limit=0", "limit"),
                ("/tasks?limit=1001", "limit"), ("/tasks?limit=ten", "limit"), ("/tasks?since=yesterday", "since"),
                ("/tasks?until=2026-13-01", "until"), ("/tasks?cursor=abc", "cursor"),
                ("/tasks?cursor=MjAyNi0xMS0zMFQxMjowMDowMFp8eA", "cursor"), ("/tasks?include=circuit", "include"),
                ("/tasks?stauts=failed", "stauts"), ("/tasks?correlation_id=%20bad%20", "correlation_id"),
                ("/tasks/\(UUID())?wait=0", "wait"), ("/tasks/\(UUID())?wait=61", "wait"),
                ("/tasks/\(UUID())?wait=nan", "wait"), ("/tasks/\(UUID())?wait=-1", "wait"), ("/tasks/\(UUID())?poll=1", "poll"),
            ]
            for (uri, field) in cases {
                let response = try await client.send(.get, uri)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response["error"] == "invalid_parameter", "\(uri)")
                #expect(response["details"]?["field"]?.stringValue == field, "\(uri)")
                #expect((response["message"]?.stringValue?.count ?? 0) > 20, "\(uri)")
            }
        }
    }

    @Test func batchStoresEveryTaskInOneTransactionOrNone() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            let items = (1...250).map { #"{"qc": "\#(Self.bell)", "shots": \#($0), "seed": \#($0)}"# }
            let accepted = try await client.send(.post, "/tasks/batch", body: #"{"tasks": [\#(items.joined(separator: ","))]}"#)
            #expect(accepted.status == .accepted)
            let answered = try #require(accepted["tasks"]?.arrayValue)
            #expect(answered.count == 250)
            #expect(Set(answered.compactMap { $0["task_id"]?.stringValue }).count == 250)
            let last = try await client.send(.get, "/tasks/\(answered[249]["task_id"]?.stringValue ?? "")")
            #expect(last["shots"] == 250)
            #expect(last["seed"] == 250)
            #expect(last["task_correlation_id"] == accepted["correlation_id"])

            let bad = try await client.send(.post, "/tasks/batch", body: #"{"tasks": [{"qc": "x"}, {"qc": "y", "shots": 0}]}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad["details"] == ["index": 1, "field": "shots"])
            #expect(bad["message"]?.stringValue?.hasPrefix("Task 1: ") == true)
            let notObject = try await client.send(.post, "/tasks/batch", body: #"{"tasks": [{"qc": "x"}, 5]}"#)
            #expect(notObject["details"] == ["index": 1])
            let empty = try await client.send(.post, "/tasks/batch", body: #"{"tasks": []}"#)
            #expect(empty.status == .unprocessableContent)
            #expect(empty["details"]?["field"] == "tasks")
            let tooMany = try await client.send(
                .post, "/tasks/batch", body: #"{"tasks": [\#(Array(repeating: #"{"qc": "x"}"#, count: 1001).joined(separator: ","))]}"#
            )
            #expect(tooMany.status == .unprocessableContent)
            let keyed = try await client.send(.post, "/tasks/batch", body: #"{"tasks": [{"qc": "x"}]}"#,
                                              headers: [IdempotencyKey.headerName: "k"])
            #expect(keyed.status == .badRequest)
            let wrongMethod = try await client.send(.get, "/tasks/batch")
            #expect(wrongMethod.status == .methodNotAllowed)

            let stored = try await database.withClient { postgres in
                var count = 0
                for try await value in try await postgres.query("SELECT count(*)::int FROM tasks").decode(Int.self) { count = value }
                return count
            }
            #expect(stored == 250)
        }
    }

    @Test func cancelEndsPendingTasksAtOnceAndAsksWorkersToStopRunningOnes() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            let running = try await Self.submit(client)
            let waiting = try await Self.submit(client)
            let done = try await Self.submit(client)
            let claimed = try await database.withClient { postgres in
                try await TaskStore(client: postgres, logger: Logger(label: "test")).claim(workerID: "w", limit: 1, lease: .seconds(60))
            }
            #expect(claimed.first?.id.uuidString.lowercased() == running)

            let second = try await client.send(.get, "/tasks/\(waiting)")
            #expect(second["queue_position"] == 1)
            let third = try await client.send(.get, "/tasks/\(done)")
            #expect(third["queue_position"] == 2)

            let cancelled = try await client.send(.post, "/tasks/\(waiting)/cancel")
            #expect(cancelled.status == .ok)
            #expect(cancelled["status"] == "cancelled")
            #expect(cancelled["message"] == "Task was cancelled.")
            #expect(cancelled["status_history"]?.arrayValue?.compactMap { $0["status"]?.stringValue } == ["pending", "cancelled"])
            #expect(try await client.send(.post, "/tasks/\(waiting)/cancel").status == .ok)
            #expect(try await client.send(.get, "/tasks/\(done)")["queue_position"] == 1)

            let requested = try await client.send(.post, "/tasks/\(running)/cancel")
            #expect(requested.status == .accepted)
            #expect(requested["status"] == "processing")
            #expect(requested["cancel_requested"] == true)

            // The worker reports a result anyway: the cancellation wins. Nothing can claim the cancelled task.
            try await database.withClient { postgres in
                let store = TaskStore(client: postgres, logger: Logger(label: "test"))
                #expect(try await store.complete(try #require(claimed.first), workerID: "w", result: TaskResult(counts: ["00": 10], shots: 10)))
                let next = try await store.claim(workerID: "w", limit: 10, lease: .seconds(60))
                #expect(next.map { $0.id.uuidString.lowercased() } == [done])
                #expect(try await store.complete(try #require(next.first), workerID: "w", result: TaskResult(counts: ["00": 10], shots: 10)))
            }
            let stopped = try await client.send(.get, "/tasks/\(running)")
            #expect(stopped["status"] == "cancelled")
            #expect(stopped["result"] == .null)
            #expect(stopped["status_history"]?.arrayValue?.last?["notes"] == "Cancelled by request while running")

            let finished = try await client.send(.post, "/tasks/\(done)/cancel")
            #expect(finished.status == .conflict)
            #expect(finished["error"] == "task_already_finished")
            #expect(try await client.send(.get, "/tasks/\(done)")["status"] == "completed")
            #expect(try await client.send(.post, "/tasks/\(UUID())/cancel").status == .notFound)
            #expect(try await client.send(.post, "/tasks/not-a-uuid/cancel").status == .badRequest)
            #expect(try await client.send(.get, "/tasks/\(done)/cancel").status == .methodNotAllowed)

            let cancelledList = try await client.send(.get, "/tasks?status=cancelled")
            #expect(Set(cancelledList["tasks"]?.arrayValue?.compactMap { $0["task_id"]?.stringValue } ?? []) == [running, waiting])
        }
    }

    @Test func taskBodyShowsItsRunFields() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            let id = try #require(try await client.send(.post, "/tasks", body: #"{"qc": "x", "shots": 7, "seed": 3}"#)["task_id"]?.stringValue)
            let pending = try await client.send(.get, "/tasks/\(id)")
            #expect(pending["shots"] == 7)
            #expect(pending["seed"] == 3)
            #expect(pending["attempts"] == 0)
            #expect(pending["started_at"] == .null)
            #expect(pending["duration_seconds"] == .null)
            #expect(pending["queue_position"] == 1)
            try await database.withClient { postgres in
                let store = TaskStore(client: postgres, logger: Logger(label: "test"))
                let claimed = try await store.claim(workerID: "w", limit: 1, lease: .seconds(60))
                #expect(try await store.complete(try #require(claimed.first), workerID: "w", result: TaskResult(counts: ["0": 7], shots: 7, seed: 3)))
            }
            let completed = try await client.send(.get, "/tasks/\(id)")
            #expect(completed["attempts"] == 1)
            #expect(completed["queue_position"] == nil)
            #expect(completed["started_at"]?.stringValue != nil)
            #expect(completed["completed_at"]?.stringValue != nil)
            if case .number(let text)? = completed["duration_seconds"] {
                #expect((Double(text) ?? -1) >= 0)
            } else {
                Issue.record("duration_seconds missing: \(completed.text)")
            }
        }
    }

    /// `precision` through POST /tasks and /tasks/batch, the column, the claim and GET /tasks/{id} (responses checked
    /// against the OpenAPI document like every other in these tests).
    @Test func precisionRoundTripsThroughTheDatabase() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            let single = try #require(try await client.send(
                .post, "/tasks", body: #"{"qc": "\#(Self.bell)", "shots": 5, "precision": "single"}"#
            )["task_id"]?.stringValue)
            let plain = try await Self.submit(client)
            let batch = try await client.send(.post, "/tasks/batch", body: #"""
                {"tasks": [{"qc": "\#(Self.bell)", "precision": "double"}, {"qc": "\#(Self.bell)", "precision": "single"}]}
                """#)
            #expect(batch.status == .accepted)
            let batchIDs = try #require(batch["tasks"]?.arrayValue).compactMap { $0["task_id"]?.stringValue }
            #expect(batchIDs.count == 2)

            let invalid = try await client.send(.post, "/tasks", body: #"{"qc": "\#(Self.bell)", "precision": "quad"}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid["error"] == "validation_error")
            #expect(invalid["details"]?["field"] == "precision")
            #expect(invalid["message"]?.stringValue?.contains(#""single""#) == true)
            #expect(invalid["message"]?.stringValue?.contains(#""double""#) == true)
            let invalidItem = try await client.send(.post, "/tasks/batch", body: #"{"tasks": [{"qc": "x"}, {"qc": "y", "precision": 1}]}"#)
            #expect(invalidItem.status == .unprocessableContent)
            #expect(invalidItem["details"] == ["index": 1, "field": "precision"])

            #expect(try await client.send(.get, "/tasks/\(single)")["precision"] == "single")
            #expect(try await client.send(.get, "/tasks/\(plain)")["precision"] == "double")
            #expect(try await client.send(.get, "/tasks/\(batchIDs[0])")["precision"] == "double")
            #expect(try await client.send(.get, "/tasks/\(batchIDs[1])")["precision"] == "single")

            try await database.withClient { postgres in
                // The CHECK constraint keeps the column to the two values, whoever writes it.
                await #expect(throws: (any Error).self) {
                    try await postgres.query("UPDATE tasks SET precision = 'half' WHERE task_id = \(UUID(uuidString: single)!)")
                }
                let store = TaskStore(client: postgres, logger: Logger(label: "test"))
                let claimed = try await store.claim(workerID: "w", limit: 4, lease: .seconds(60))
                let byID = Dictionary(uniqueKeysWithValues: claimed.map { ($0.id.uuidString.lowercased(), $0.precision) })
                #expect(byID == [single: .single, plain: .double, batchIDs[0]: .double, batchIDs[1]: .single])
                let first = try #require(claimed.first { $0.id.uuidString.lowercased() == single })
                let result = TaskResult(counts: ["00": 5], shots: 5, seed: 1, precision: .single)
                #expect(try await store.complete(first, workerID: "w", result: result))
            }
            let completed = try await client.send(.get, "/tasks/\(single)")
            #expect(completed["result"]?["precision"] == "single")
        }
    }

    @Test func waitAnswersWhenTheTaskFinishesOrAtItsDeadline() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            #expect(try await client.waitUntilHealthy().status == .ok)  // the listener is up
            let id = try await Self.submit(client)
            // Nothing finishes it: the answer comes at the deadline, with the task as it is.
            let started = ContinuousClock.now
            let timedOut = try await client.send(.get, "/tasks/\(id)?wait=0.5")
            #expect(timedOut.status == .ok)
            #expect(timedOut["status"] == "pending")
            #expect(ContinuousClock.now - started >= .milliseconds(500))

            // A waiter is answered by the completion's notification: it is waiting (the hub counts it) when the
            // task completes, and its answer shows the completed task long before its 30 s deadline.
            async let waited = client.send(.get, "/tasks/\(id)?wait=30")
            // A second connection: the test client's own one is busy with the waiting request.
            let observer = HTTPTestClient(port: try #require(client.port))
            try await database.withClient { postgres in
                let store = TaskStore(client: postgres, logger: Logger(label: "test"))
                let claimed = try await store.claim(workerID: "w", limit: 1, lease: .seconds(60))
                // The request must be waiting before the completion, or this test proves nothing.
                let registered = try await eventually(timeout: .seconds(10)) {
                    String(decoding: try await observer.send("GET", "metrics").body, as: UTF8.self).contains("qtq_task_waiters 1")
                }
                #expect(registered)
                #expect(try await store.complete(try #require(claimed.first), workerID: "w", result: TaskResult(counts: ["00": 10], shots: 10)))
            }
            let completionStarted = ContinuousClock.now
            let answer = try await waited
            #expect(answer["status"] == "completed")
            #expect(ContinuousClock.now - completionStarted < .seconds(20))
            #expect(try await client.send(.get, "/metrics").text.contains("qtq_task_waiters 0"))

            // A finished task answers at once.
            let immediate = ContinuousClock.now
            #expect(try await client.send(.get, "/tasks/\(id)?wait=60")["status"] == "completed")
            #expect(ContinuousClock.now - immediate < .seconds(30))
            #expect(try await client.send(.get, "/tasks/\(UUID())?wait=5").status == .notFound)
        }
    }
}

@Suite struct TaskEventHubTests {
    @Test func payloadsNameTheirTasksOrWakeEveryone() {
        let a = UUID()
        let b = UUID()
        #expect(TaskEventHub.taskIDs(in: #"[{"task_id":"\#(a.uuidString.lowercased())","status":"completed"}]"#) == [a])
        // json_agg's spacing, as the lease sweeper sends it.
        #expect(TaskEventHub.taskIDs(in: #"[{"task_id" : "\#(a)", "status" : "failed"}, {"task_id" : "\#(b)", "status" : "cancelled"}]"#) == [a, b])
        #expect(TaskEventHub.taskIDs(in: "*") == nil)
        #expect(TaskEventHub.taskIDs(in: "") == nil)
        #expect(TaskEventHub.taskIDs(in: #"[{"task_id": 5}]"#) == nil)
    }

    @Test func waitersAreWokenByTheirTaskOnly() async {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let hub = TaskEventHub(notifications: stream)
        let mine = UUID()
        let subscription = hub.subscribe(to: mine)
        let other = hub.subscribe(to: UUID())
        #expect(hub.waiterCount == 2)
        hub.deliver(#"[{"task_id":"\#(mine)","status":"completed"}]"#)
        var iterator = subscription.events.makeAsyncIterator()
        #expect(await iterator.next() != nil)
        hub.unsubscribe(subscription)
        hub.unsubscribe(other)
        #expect(hub.waiterCount == 0)
        continuation.finish()
    }
}

@Suite struct ListQueryTests {
    @Test func instantsAreCheckedFieldByField() {
        #expect(TaskListQuery.normalizedInstant("2026-11-30") == "2026-11-30T00:00:00Z")
        #expect(TaskListQuery.normalizedInstant("2024-02-29T23:59:59.123456Z") == "2024-02-29T23:59:59.123456Z")
        #expect(TaskListQuery.normalizedInstant("2026-11-30T10:00:00+05:30") == "2026-11-30T10:00:00+05:30")
        for bad in ["2026-11-30T25:00:00Z", "2026-02-29", "2026-13-01", "2026-11-31", "2026-11-30T10:60:00Z",
                    "2026-11-30T10:00:00+24:00", "2026-11-30T10:00:00", "yesterday", "0000-01-01", "2026-11-30T10:00:00.1234567Z"] {
            #expect(TaskListQuery.normalizedInstant(bad) == nil, "\(bad)")
        }
    }
}
