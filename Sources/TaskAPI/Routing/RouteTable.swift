import HTTPTypes

/// Which methods each path template accepts. Hummingbird's router answers 404 for a known path with a
/// wrong method; this lets the API answer 405 with an `Allow` header instead.
struct RouteTable: Sendable {
    private struct Route: Sendable {
        var template: [Substring]
        var methods: [HTTPRequest.Method]
    }

    private var routes: [Route] = []

    /// GET routes also answer HEAD (the router generates those).
    init(_ endpoints: [Endpoint]) {
        for endpoint in endpoints {
            let template = Self.segments(endpoint.path)
            var methods = [endpoint.method]
            if endpoint.method == .get { methods.append(.head) }
            if let index = routes.firstIndex(where: { $0.template == template }) {
                routes[index].methods += methods.filter { !routes[index].methods.contains($0) }
            } else {
                routes.append(Route(template: template, methods: methods))
            }
        }
    }

    /// The methods allowed on `path`, empty when no route has this shape.
    func allowedMethods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = Self.segments(path)
        return routes.first { Self.matches(template: $0.template, segments) }?.methods ?? []
    }

    /// The template matching `path` ("/tasks/{id}"), for metrics labels.
    func template(forPath path: String) -> String? {
        let segments = Self.segments(path)
        return routes.first { Self.matches(template: $0.template, segments) }
            .map { "/" + $0.template.joined(separator: "/") }
    }

    private static func matches(template: [Substring], _ segments: [Substring]) -> Bool {
        template.count == segments.count && zip(template, segments).allSatisfy { pattern, segment in
            pattern.hasPrefix("{") || pattern.hasPrefix(":") || pattern == segment
        }
    }

    /// Like the router, empty segments ("//", a trailing "/") are ignored.
    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
