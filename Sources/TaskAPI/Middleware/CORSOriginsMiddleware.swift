import HTTPTypes
import Hummingbird

/// Cross-origin access for the listed browser origins only (`QTQ_CORS_ORIGINS`); without the setting, no CORS
/// headers at all, so browsers keep other sites' pages from reading the API. Answers preflight requests itself.
struct CORSOriginsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let origins: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains(origin) || origins.contains("*") else {
            return try await next(request, context)
        }
        var response: Response
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, HEAD, POST"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type, Idempotency-Key, X-Correlation-ID"
            response.headers[.accessControlMaxAge] = "600"
        } else {
            response = try await next(request, context)
            response.headers[.accessControlExposeHeaders] = "Location, X-Correlation-ID, Idempotent-Replayed, Retry-After"
        }
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.vary] = "Origin"
        return response
    }
}
