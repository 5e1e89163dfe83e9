import Foundation
import Hummingbird
import PostgresNIO
import TaskQueue

/// `POST /tasks`, `POST /tasks/batch`, `GET /tasks`, `GET /tasks/{id}` (with `?wait=S`) and `POST /tasks/{id}/cancel`.
struct TaskRoutes: Sendable {
    let client: PostgresClient
    let submissions: SubmissionBatcher
    let events: TaskEventHub
    let maxBodyBytes: Int
    let maxBatchBodyBytes: Int
    let databaseTimeout: Duration
    let metrics: APIMetrics

    var endpoints: [Endpoint] {
        [
            Endpoint(.post, "/tasks", submit),
            Endpoint(.get, "/tasks", list),
            // Before "/tasks/{id}", so "batch" is not taken for an id.
            Endpoint(.post, "/tasks/batch", submitBatch),
            Endpoint(.get, "/tasks/{id}", show),
            Endpoint(.post, "/tasks/{id}/cancel", cancel),
        ]
    }

    @Sendable func submit(_ request: Request, context: APIRequestContext) async throws -> Response {
        let idempotencyKey = try IdempotencyKey.parse(request.headers)
        let submission = try TaskSubmission(jsonBody: try await RequestBodyReader.collect(request, limit: maxBodyBytes))
        let submitted = try await submissions.submit(NewTask(
            circuit: submission.circuit, shots: submission.shots, correlationID: context.correlationID,
            seed: submission.seed, idempotencyKey: idempotencyKey, owner: context.owner, precision: submission.precision
        ))
        let id = submitted.id.lowercasedString
        var headers: HTTPFields = [.location: "/tasks/\(id)"]
        let status: HTTPResponse.Status
        let message: String
        switch submitted.outcome {
        case .conflict:
            throw IdempotencyKey.reused(idempotencyKey ?? "")
        case .replayed:
            // The same submission again: the task stored the first time, nothing new.
            status = .ok
            message = "Task already submitted with this Idempotency-Key."
            headers[IdempotencyKey.replayedHeaderName] = "true"
            context.logger.info("Task submission replayed", metadata: ["task.id": .string(id)])
        case .created:
            status = .accepted
            message = "Task submitted successfully."
            metrics.recordSubmission()
            // The request's own log line names the task (from Location); this one only when debugging.
            if context.logger.logLevel <= .debug {
                context.logger.debug("Task submitted", metadata: [
                    "task.id": .string(id), "task.shots": .stringConvertible(submission.shots),
                    "task.circuit_bytes": .stringConvertible(submission.circuit.utf8.count),
                ])
            }
        }
        let body = SubmissionAnswer(
            taskID: id, message: message, submittedAt: submitted.submittedAt, correlationID: context.correlationID
        )
        return .json(status, body, headers: headers)
    }

    /// Up to 1,000 tasks in one transaction: all stored, or none.
    @Sendable func submitBatch(_ request: Request, context: APIRequestContext) async throws -> Response {
        if request.headers[IdempotencyKey.headerName] != nil {
            throw APIError(
                status: .badRequest, code: "invalid_idempotency_key",
                message: "POST /tasks/batch does not take an Idempotency-Key; a batch is stored whole or not at all, so retry it only after a 503, or submit the tasks one by one with keys.",
                details: ["field": "Idempotency-Key"]
            )
        }
        let batch = try BatchSubmission(jsonBody: try await RequestBodyReader.collect(request, limit: maxBatchBodyBytes))
        let submitted = try await store(context).submit(batch.tasks.map {
            NewTask(
                circuit: $0.circuit, shots: $0.shots, correlationID: context.correlationID, seed: $0.seed, owner: context.owner,
                precision: $0.precision
            )
        })
        metrics.recordSubmission(count: submitted.count)
        context.logger.info("Task batch submitted", metadata: ["tasks": .stringConvertible(submitted.count)])
        let body = BatchAnswer(
            tasks: submitted.map { BatchAnswer.Item(taskID: $0.id.lowercasedString, submittedAt: $0.submittedAt) },
            correlationID: context.correlationID
        )
        return .json(.accepted, body)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        var query = try TaskListQuery(request.uri)
        query.filter.owner = context.owner
        let page = try await store(context).list(query.filter)
        let body = TaskListAnswer(
            tasks: page.tasks.map { TaskSummaryView(summary: $0, includeResult: query.filter.includeResult) },
            nextCursor: page.next.map(ListCursor.encode), correlationID: context.correlationID
        )
        return .json(.ok, body)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try taskID(context)
        let query = try TaskReadQuery(request.uri)
        let record: TaskRecord
        if let wait = query.wait {
            record = try await waitUntilFinished(id, for: wait, context: context)
        } else {
            record = try await read(id, context: context)
        }
        return .json(.ok, TaskView(record: record, correlationID: context.correlationID))
    }

    @Sendable func cancel(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try taskID(context)
        let outcome = try await store(context).cancel(id: id, owner: context.owner)
        let status: HTTPResponse.Status
        switch outcome {
        case .notFound:
            throw APIError.taskNotFound(id.lowercasedString)
        case .finished(let finished):
            throw APIError.taskAlreadyFinished(id.lowercasedString, status: finished.rawValue)
        case .cancelled, .alreadyCancelled:
            status = .ok
        case .requested:
            // Its worker stops it within about a second; the task then reads `cancelled`.
            status = .accepted
        }
        context.logger.info("Task cancellation", metadata: [
            "task.id": .string(id.lowercasedString), "outcome": .string("\(outcome)"),
        ])
        let record = try await read(id, context: context)
        return .json(status, TaskView(record: record, correlationID: context.correlationID))
    }

    /// The task once it is finished, or as it is when `duration` has passed. Woken by the API's one LISTEN
    /// (`TaskEventHub`); the database is read once before waiting and once per wake-up, never polled.
    private func waitUntilFinished(_ id: UUID, for duration: Duration, context: APIRequestContext) async throws -> TaskRecord {
        let deadline = ContinuousClock.now + duration
        // Subscribed before the first read, so a task finishing in between still wakes this request.
        let subscription = events.subscribe(to: id)
        defer { events.unsubscribe(subscription) }
        let record = try await read(id, context: context)
        guard !record.status.isFinished else { return record }
        let store = store(context)
        let owner = context.owner
        let finished = try await withThrowingTaskGroup(of: TaskRecord?.self) { group in
            group.addTask {
                for await _ in subscription.events {
                    if let record = try await store.task(id: id, owner: owner), record.status.isFinished { return record }
                }
                return nil  // the hub is shutting down
            }
            group.addTask {
                try? await Task.sleep(until: deadline)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        // Past the deadline (or at shutdown): the task as it is now.
        if let finished { return finished }
        return try await read(id, context: context)
    }

    private func read(_ id: UUID, context: APIRequestContext) async throws -> TaskRecord {
        guard let record = try await store(context).task(id: id, owner: context.owner) else {
            throw APIError.taskNotFound(id.lowercasedString)
        }
        return record
    }

    private func taskID(_ context: APIRequestContext) throws(APIError) -> UUID {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text) else { throw APIError.invalidTaskID(text) }
        return id
    }

    /// A store per request, so its log lines carry this request's correlation id. Its operation timeout
    /// bounds the wait on PostgreSQL (whose pool queues a query indefinitely while the server is down):
    /// past it the client gets 503 `database_unavailable` instead of a hung request.
    private func store(_ context: APIRequestContext) -> TaskStore {
        TaskStore(client: client, logger: context.logger, operationTimeout: databaseTimeout)
    }
}
