import HTTPTypes
import Hummingbird
import Logging

/// The outermost layer of every request: resolves the correlation id (logger metadata, response header),
/// renders every error as the API's JSON error body, turns the router's "no match" into 404 or 405,
/// records metrics, and logs one line per request.
struct RequestLifecycleMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let routes: RouteTable
    let metrics: APIMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        context.correlationID = CorrelationID.resolve(request.headers[.correlationID])
        context.logger[metadataKey: "correlation_id"] = .string(context.correlationID)
        let logger = context.logger

        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errorResponse(for: error, request: request, context: context)
        }
        response.headers[.correlationID] = context.correlationID
        if request.method == .head { response.body = ResponseBody() }

        let duration = ContinuousClock.now - start
        let route = routeLabel(request: request, context: context)
        metrics.recordRequest(route: route, method: request.method.rawValue, status: response.status.code, duration: duration)
        var metadata: Logger.Metadata = [
            "http.method": .string(request.method.rawValue),
            "http.path": .string(String(request.uri.path.prefix(256))),
            "http.status_code": .stringConvertible(response.status.code),
            "duration_ms": .string(Self.millisecondsText(duration)),
        ]
        // A stored or found task names itself in Location: one line per request then says which task it was
        // (a second line per submission cost a visible share of the API's CPU).
        if let location = response.headers[.location], location.hasPrefix("/tasks/") {
            metadata["task.id"] = .string(String(location.dropFirst("/tasks/".count)))
        }
        logger.info("Request handled", metadata: metadata)
        return response
    }

    private func errorResponse(for error: any Error, request: Request, context: Context) -> Response {
        let apiError: APIError
        if isRouterMiss(error, context: context) {
            let allowed = routes.allowedMethods(forPath: request.uri.path)
            apiError = allowed.isEmpty ? .notFound(path: request.uri.path) : .methodNotAllowed(request.method, allowed: allowed)
        } else {
            apiError = APIError(classifying: error)
        }
        if apiError.status.kind == .serverError {
            context.logger.error("Request failed", metadata: [
                "error.code": .string(apiError.code), "error": .string(String(reflecting: error)),
            ])
        }
        return .json(apiError.status, apiError.body(correlationID: context.correlationID), headers: apiError.headers)
    }

    /// Hummingbird's fallback responder marks the endpoint "NotFound" and throws a plain 404.
    private func isRouterMiss(_ error: any Error, context: Context) -> Bool {
        guard let error = error as? HTTPError, error.status == .notFound else { return false }
        return context.endpointPath == Self.routerMissEndpoint
    }

    private func routeLabel(request: Request, context: Context) -> String {
        if let path = context.endpointPath, path != Self.routerMissEndpoint { return path }
        return routes.template(forPath: request.uri.path) ?? "unmatched"
    }

    private static let routerMissEndpoint = "NotFound"

    /// "12.345": milliseconds with three decimals, by integer arithmetic (String(format:) is slow on Linux).
    static func millisecondsText(_ duration: Duration) -> String {
        let microseconds = max(0, Int64(duration / .microseconds(1)))
        let fraction = String(microseconds % 1000)
        return "\(microseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension Duration {
    var milliseconds: Double {
        self / .milliseconds(1)
    }
}

extension HTTPField.Name {
    // A valid token literal, so the initializer cannot fail.
    static let correlationID = HTTPField.Name(CorrelationID.headerName)!
}
