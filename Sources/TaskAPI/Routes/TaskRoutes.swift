import Foundation
import Hummingbird
import PostgresNIO
import TaskQueue

/// `POST /tasks` and `GET /tasks/{id}`.
struct TaskRoutes: Sendable {
    let client: PostgresClient
    let submissions: SubmissionBatcher
    let maxBodyBytes: Int
    let databaseTimeout: Duration
    let metrics: APIMetrics

    var endpoints: [Endpoint] {
        [
            Endpoint(.post, "/tasks", submit),
            Endpoint(.get, "/tasks/{id}", show),
        ]
    }

    @Sendable func submit(_ request: Request, context: APIRequestContext) async throws -> Response {
        let idempotencyKey = try IdempotencyKey.parse(request.headers)
        let submission = try TaskSubmission(jsonBody: try await RequestBodyReader.collect(request, limit: maxBodyBytes))
        let submitted = try await submissions.submit(NewTask(
            circuit: submission.circuit, shots: submission.shots, correlationID: context.correlationID,
            seed: submission.seed, idempotencyKey: idempotencyKey
        ))
        let id = submitted.id.uuidString.lowercased()
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
            context.logger.info("Task submitted", metadata: [
                "task.id": .string(id), "task.shots": .stringConvertible(submission.shots),
                "task.circuit_bytes": .stringConvertible(submission.circuit.utf8.count),
            ])
        }
        let body: JSONValue = [
            "task_id": .string(id),
            "message": .string(message),
            "submitted_at": .string(submitted.submittedAt),
            "correlation_id": .string(context.correlationID),
        ]
        return .json(status, body, headers: headers)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text) else { throw APIError.invalidTaskID(text) }
        guard let record = try await store(context).task(id: id) else {
            throw APIError.taskNotFound(id.uuidString.lowercased())
        }
        return .json(.ok, record.json(correlationID: context.correlationID))
    }

    /// A store per request, so its log lines carry this request's correlation id. Its operation timeout
    /// bounds the wait on PostgreSQL (whose pool queues a query indefinitely while the server is down):
    /// past it the client gets 503 `database_unavailable` instead of a hung request.
    private func store(_ context: APIRequestContext) -> TaskStore {
        TaskStore(client: client, logger: context.logger, operationTimeout: databaseTimeout)
    }
}
