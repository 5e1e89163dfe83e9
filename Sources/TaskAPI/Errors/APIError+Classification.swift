import Hummingbird
import TaskQueue

extension APIError {
    /// Maps anything a handler threw to what the client sees. Only a database outage is a 503; anything
    /// unexpected is a generic 500 whose detail goes to the log, never to the client.
    init(classifying error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as TaskQueueError where error.kind == .unavailable:
            self = .databaseUnavailable
        case let error as any HTTPResponseError where error.status.kind == .clientError:
            self = APIError(
                status: error.status, code: "bad_request",
                message: "The request could not be processed (\(error.status.reasonPhrase)); check it against GET /openapi.yaml."
            )
        default:
            self = .internalError
        }
    }
}
