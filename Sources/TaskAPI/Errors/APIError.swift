import HTTPTypes

/// Every error the API answers with: a status, a stable machine code, a sentence a person can act on,
/// and optional structured details. Rendered as `{"error", "message", "correlation_id", "details"?}`.
struct APIError: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var details: JSONValue?
    /// Extra response headers (`Allow` on 405).
    var headers: HTTPFields = [:]

    static func invalidJSON(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_json", message: message)
    }

    static func validation(field: String, _ message: String) -> APIError {
        APIError(status: .unprocessableContent, code: "validation_error", message: message, details: ["field": .string(field)])
    }

    /// A query parameter that cannot be used (400): names it and what would be accepted.
    static func invalidParameter(_ name: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_parameter", message: message, details: ["field": .string(name)])
    }

    static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: "Bearer"])
    }

    static func taskAlreadyFinished(_ id: String, status: String) -> APIError {
        APIError(
            status: .conflict, code: "task_already_finished",
            message: "Task \(id) already \(status); only pending or processing tasks can be cancelled.",
            details: ["status": .string(status)]
        )
    }

    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(
            status: .contentTooLarge, code: "payload_too_large",
            message: "The request body is larger than \(limit) bytes; send a smaller circuit.",
            details: ["max_bytes": .integer(limit)]
        )
    }

    static func invalidTaskID(_ text: String) -> APIError {
        APIError(
            status: .badRequest, code: "invalid_task_id",
            message: "Task id \"\(text.prefix(64))\" is not a UUID; use the task_id returned by POST /tasks.",
            details: ["field": "task_id"]
        )
    }

    static func taskNotFound(_ id: String) -> APIError {
        APIError(status: .notFound, code: "task_not_found", message: "Task \(id) not found.")
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIError {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        var error = APIError(
            status: .methodNotAllowed, code: "method_not_allowed",
            message: "Method \(method.rawValue) is not allowed here; use \(allow).",
            details: ["allowed_methods": .array(allowed.map { .string($0.rawValue) })]
        )
        error.headers[.allow] = allow
        return error
    }

    static func notFound(path: String) -> APIError {
        APIError(
            status: .notFound, code: "not_found",
            message: "No endpoint at \(path.prefix(200)); see GET / for the list of endpoints."
        )
    }

    static func requestTimeout(seconds: Int64) -> APIError {
        APIError(
            status: .requestTimeout, code: "request_timeout",
            message: "The request body did not arrive within \(seconds) seconds of its headers; send the whole request at once.",
            headers: [.connection: "close"]
        )
    }

    static let malformedBody = APIError(
        status: .badRequest, code: "malformed_body",
        message: "The request body could not be read (malformed chunked encoding or a broken upload); resend it."
    )

    static let databaseUnavailable = APIError(
        status: .serviceUnavailable, code: "database_unavailable",
        message: "The task database is unavailable right now; retry in a few seconds.",
        headers: [.retryAfter: "1"]
    )

    static let internalError = APIError(
        status: .internalServerError, code: "internal_error",
        message: "The server could not complete the request; retry, and report the correlation id if it persists."
    )

    /// The JSON body for this error, stamped with the request's correlation id.
    func body(correlationID: String) -> ErrorBody {
        ErrorBody(error: code, message: message, correlationID: correlationID, details: details)
    }
}
