import Hummingbird

/// One route: the router registers it, and the route table derives `Allow` headers from the same list.
struct Endpoint: Sendable {
    typealias Handler = @Sendable (Request, APIRequestContext) async throws -> Response

    var path: String
    var method: HTTPRequest.Method
    var handler: Handler

    init(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.handler = handler
    }
}
