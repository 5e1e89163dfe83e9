import HTTPTypes
import Hummingbird

/// With API keys configured, every route but health and documentation needs `Authorization: Bearer <secret>`;
/// the key's name goes into the context, and the routes show each key only its own tasks.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// Open to anyone: probes and the API's own description.
    static let publicPaths: Set<String> = ["/", "/health", "/livez", "/readyz", "/openapi.yaml", "/openapi.json", "/docs", "/redoc"]

    let keys: APIKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if Self.publicPaths.contains(path) || path.hasPrefix("/docs/") || path.hasPrefix("/redoc/") {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError.unauthorized("This API needs an API key: send the header Authorization: Bearer <your key>.")
        }
        guard let owner = keys.owner(ofSecret: header.dropFirst("bearer ".count).drop { $0 == " " }) else {
            throw APIError.unauthorized("The API key in the Authorization header is not valid.")
        }
        var context = context
        context.owner = owner
        context.logger[metadataKey: "api_key"] = .string(owner)
        return try await next(request, context)
    }
}
