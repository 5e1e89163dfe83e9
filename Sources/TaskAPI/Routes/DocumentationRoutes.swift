import Hummingbird

/// `GET /` (a short index) and `GET /openapi.yaml` (the hand-written contract).
enum DocumentationRoutes {
    static var endpoints: [Endpoint] {
        [
            Endpoint(.get, "/") { _, _ in .json(.ok, index) },
            Endpoint(.get, "/openapi.yaml") { _, _ in
                .text(.ok, OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
            },
        ]
    }

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
        ],
    ]
}
