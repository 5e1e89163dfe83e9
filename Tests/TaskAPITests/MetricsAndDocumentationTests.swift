import HTTPTypes
@testable import TaskAPI
import Testing
import TestSupport

@Suite struct MetricsAndDocumentationTests {
    @Test func metricsCountRequestsByRouteTemplateAndSubmissions() async throws {
        let database = try await TestDatabase.create()
        let response = try await APITestServer.run(database: database.url) { client in
            _ = try await client.waitUntilHealthy()
            let id = try #require(try await client.send(.post, "/tasks", body: #"{"qc": "x"}"#)["task_id"]?.stringValue)
            _ = try await client.send(.get, "/tasks/\(id)")
            _ = try await client.send(.get, "/no/such/path")
            return try await client.send(.get, "/metrics")
        }
        #expect(response.status == .ok)
        #expect(response.contentType?.hasPrefix("text/plain") == true)
        let text = response.text
        #expect(text.contains(#"qtq_http_requests_total{route="/tasks",method="POST",status="202"} 1"#), "\(text)")
        #expect(text.contains(#"qtq_http_requests_total{route="/tasks/{id}",method="GET",status="200"} 1"#))
        #expect(text.contains(#"qtq_http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
        #expect(text.contains("qtq_http_request_duration_seconds_bucket{"))
        #expect(text.contains("qtq_tasks_submitted_total 1"))
        #expect(text.contains(#"qtq_queue_tasks{status="pending"} 1"#))
        #expect(text.contains(#"qtq_queue_tasks{status="processing"} 0"#))
        #expect(text.contains("qtq_queue_oldest_pending_age_seconds "))
        // Raw ids never become labels.
        #expect(!text.contains("/tasks/0") && !text.contains("/no/such/path"))
    }

    @Test func twoAppsInOneProcessKeepSeparateMetrics() async throws {
        let refusing = try APITestServer.refusingDatabase
        for _ in 0..<2 {
            let text = try await APITestServer.run(database: refusing) { client in
                _ = try await client.send(.get, "/")
                return try await client.send(.get, "/metrics").text
            }
            #expect(text.contains(#"qtq_http_requests_total{route="/",method="GET",status="200"} 1"#), "\(text)")
        }
    }

    @Test func indexAndOpenAPIDescribeTheServedPaths() async throws {
        try await APITestServer.run(database: try APITestServer.refusingDatabase) { client in
            let index = try await client.send(.get, "/")
            #expect(index.status == .ok)
            #expect(index["endpoints"]?.arrayValue?.contains("POST /tasks") == true)

            let spec = try await client.send(.get, "/openapi.yaml")
            #expect(spec.status == .ok)
            #expect(spec.contentType?.hasPrefix("application/yaml") == true)
            #expect(spec.text.hasPrefix("openapi: 3.1.0"))
            for path in ["/tasks", "/tasks/{id}", "/health", "/metrics", "/openapi.yaml", "/"] {
                #expect(spec.text.contains("\n  \(path):\n"), "spec lacks \(path)")
            }
            // HEAD is answered for GET routes, without a body.
            let head = try await client.send(.head, "/openapi.yaml")
            #expect(head.status == .ok && head.text.isEmpty)
        }
    }
}
