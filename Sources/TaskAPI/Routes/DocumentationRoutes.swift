import Hummingbird

/// `GET /` (a short index), the contract (`/openapi.yaml`, `/openapi.json`) and the pages rendering it
/// (`/docs`, `/redoc`, with their bundles under `/docs/assets/`).
struct DocumentationRoutes: Sendable {
    let assets: DocumentationAssets

    var endpoints: [Endpoint] {
        [
            Endpoint(.get, "/") { _, _ in .json(.ok, Self.index) },
            Endpoint(.get, "/openapi.yaml") { _, _ in
                .text(.ok, OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
            },
            Endpoint(.get, "/openapi.json") { _, _ in
                .text(.ok, OpenAPIDocument.jsonText, contentType: Response.jsonContentType)
            },
            Endpoint(.get, "/docs") { _, _ in try page(DocumentationPages.swaggerUI, needs: "swagger-ui-bundle.js") },
            Endpoint(.get, "/redoc") { _, _ in try page(DocumentationPages.redoc, needs: "redoc.standalone.js") },
            Endpoint(.get, "/docs/assets/{file}") { _, context in
                let name = context.parameters.get("file") ?? ""
                guard DocumentationAssets.files[name] != nil else { throw APIError.notFound(path: "/docs/assets/\(name)") }
                guard let asset = assets[name] else { throw assets.missing(name) }
                return Response(
                    status: .ok,
                    // Fixed for a given build of the bundle; an hour keeps reloads cheap without pinning a stale copy.
                    headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=3600"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes))
                )
            },
        ]
    }

    /// The page only when its bundle is there: a page that loads no script would show a blank screen.
    private func page(_ html: String, needs bundle: String) throws(APIError) -> Response {
        guard assets[bundle] != nil else { throw assets.missing(bundle) }
        return .text(.ok, html, contentType: "text/html; charset=utf-8")
    }

    /// The `GET /` answer: what this is and where to go.
    static let index: JSONValue = [
        "service": "qtq",
        "description": "Quantum circuit task queue: submit OpenQASM programs, poll for measurement counts.",
        "endpoints": [
            "POST /tasks",
            "POST /tasks/batch",
            "GET /tasks",
            "GET /tasks/{id}",
            "POST /tasks/{id}/cancel",
            "GET /health",
            "GET /livez",
            "GET /readyz",
            "GET /metrics",
            "GET /openapi.yaml",
            "GET /openapi.json",
            "GET /docs",
            "GET /redoc",
        ],
    ]
}
