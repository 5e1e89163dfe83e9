import HTTPTypes
@testable import TaskAPI
import Testing
import TestSupport

/// Each bad request gets the documented status, error code, a message, and the correlation id.
/// These run against a database that refuses connections: no validation error may need PostgreSQL.
@Suite struct ErrorResponseTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        var status: HTTPResponse.Status
        var code: String
        var field: String?
        var messageContains: String
        var testDescription: String { "\(method) \(path) \(body ?? "") → \(status.code) \(code)" }
    }

    static let cases: [Case] = [
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "#, status: .badRequest, code: "invalid_json", messageContains: "not valid JSON"),
        Case(method: .post, path: "/tasks", body: "", status: .badRequest, code: "invalid_json", messageContains: "empty"),
        Case(method: .post, path: "/tasks", body: "qc=x", status: .badRequest, code: "invalid_json", messageContains: "at byte 0"),
        Case(method: .post, path: "/tasks", body: "[1]", status: .unprocessableContent, code: "validation_error", messageContains: "JSON object"),
        Case(method: .post, path: "/tasks", body: #"{"shots": 10}"#, status: .unprocessableContent, code: "validation_error", field: "qc", messageContains: "\"qc\" is required"),
        Case(method: .post, path: "/tasks", body: #"{"qc": ""}"#, status: .unprocessableContent, code: "validation_error", field: "qc", messageContains: "must not be empty"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "  \n "}"#, status: .unprocessableContent, code: "validation_error", field: "qc", messageContains: "must not be empty"),
        Case(method: .post, path: "/tasks", body: #"{"qc": 42}"#, status: .unprocessableContent, code: "validation_error", field: "qc", messageContains: "must be a string"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "a\u0000b"}"#, status: .unprocessableContent, code: "validation_error", field: "qc", messageContains: "NUL"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "shots": 0}"#, status: .unprocessableContent, code: "validation_error", field: "shots", messageContains: "got 0"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "shots": 100001}"#, status: .unprocessableContent, code: "validation_error", field: "shots", messageContains: "from 1 to 100000"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "shots": -5}"#, status: .unprocessableContent, code: "validation_error", field: "shots", messageContains: "got -5"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "shots": 1.5}"#, status: .unprocessableContent, code: "validation_error", field: "shots", messageContains: "not 1.5"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "shots": "10"}"#, status: .unprocessableContent, code: "validation_error", field: "shots", messageContains: "not a string"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "shots": true}"#, status: .unprocessableContent, code: "validation_error", field: "shots", messageContains: "not a boolean"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "shots": 99999999999999999999999}"#, status: .unprocessableContent, code: "validation_error", field: "shots", messageContains: "whole number"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "seed": -1}"#, status: .unprocessableContent, code: "validation_error", field: "seed", messageContains: "got -1"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "seed": 18446744073709551616}"#, status: .unprocessableContent, code: "validation_error", field: "seed", messageContains: "from 0 to 18446744073709551615"),
        Case(method: .post, path: "/tasks", body: #"{"qc": "x", "seed": "7"}"#, status: .unprocessableContent, code: "validation_error", field: "seed", messageContains: "not a string"),
        Case(method: .get, path: "/tasks/not-a-uuid", status: .badRequest, code: "invalid_task_id", field: "task_id", messageContains: "not a UUID"),
        Case(method: .put, path: "/tasks", body: "{}", status: .methodNotAllowed, code: "method_not_allowed", messageContains: "use POST"),
        Case(method: .delete, path: "/tasks/3f1c2b4a-0000-4000-8000-000000000000", status: .methodNotAllowed, code: "method_not_allowed", messageContains: "use GET, HEAD"),
        Case(method: .delete, path: "/tasks", status: .methodNotAllowed, code: "method_not_allowed", messageContains: "Method DELETE"),
        Case(method: .get, path: "/tasks/batch", status: .methodNotAllowed, code: "method_not_allowed", messageContains: "use POST"),
        Case(method: .get, path: "/tasks?limit=0", status: .badRequest, code: "invalid_parameter", messageContains: "limit"),
        Case(method: .patch, path: "/metrics", status: .methodNotAllowed, code: "method_not_allowed", messageContains: "Method PATCH"),
        Case(method: .post, path: "/health", body: "{}", status: .methodNotAllowed, code: "method_not_allowed", messageContains: "use GET"),
        Case(method: .get, path: "/nope", status: .notFound, code: "not_found", messageContains: "No endpoint at /nope"),
        Case(method: .get, path: "/tasks/a/b", status: .notFound, code: "not_found", messageContains: "GET /"),
    ]

    @Test(arguments: cases)
    func answersWithTheDocumentedError(_ testCase: Case) async throws {
        let response = try await APITestServer.run(database: try APITestServer.refusingDatabase) { client in
            try await client.send(testCase.method, testCase.path, body: testCase.body, headers: [.correlationID: "err-case"])
        }
        #expect(response.status == testCase.status)
        #expect(response.contentType == "application/json; charset=utf-8")
        #expect(response["error"] == .string(testCase.code))
        let message = try #require(response["message"]?.stringValue)
        #expect(message.contains(testCase.messageContains), "\(message)")
        #expect(response["correlation_id"] == "err-case")
        #expect(response.correlationID == "err-case")
        if let field = testCase.field {
            #expect(response["details"]?["field"] == .string(field))
        }
        if testCase.status == .methodNotAllowed {
            #expect(response.headers[.allow] != nil)
        }
    }

    @Test func methodNotAllowedListsTheAllowedMethods() async throws {
        try await APITestServer.run(database: try APITestServer.refusingDatabase) { client in
            let put = try await client.send(.put, "/tasks", body: "{}")
            let patch = try await client.send(.patch, "/tasks/x")
            #expect(put.headers[.allow] == "POST, GET, HEAD")
            #expect(patch.headers[.allow] == "GET, HEAD")
        }
    }

    @Test func unknownTaskIs404WithItsID() async throws {
        let database = try await TestDatabase.create()
        let id = "3f1c2b4a-9d8e-4f70-8a6b-5c4d3e2f1a0b"
        let response = try await APITestServer.run(database: database.url) { client in
            try await client.send(.get, "/tasks/\(id)")
        }
        #expect(response.status == .notFound)
        #expect(response["error"] == "task_not_found")
        #expect(response["message"] == .string("Task \(id) not found."))
        #expect(response["correlation_id"]?.stringValue == response.correlationID)
    }

    @Test func bodyOverOneMebibyteIs413() async throws {
        let prefix = Array(#"{"qc": ""#.utf8)
        let body = prefix + [UInt8](repeating: UInt8(ascii: "h"), count: (1 << 20) - prefix.count - 1) + Array(#""}"#.utf8)
        #expect(body.count == (1 << 20) + 1)
        let response = try await APITestServer.run(database: try APITestServer.refusingDatabase) { client in
            try await client.send(.post, "/tasks", bytes: body, headers: [.correlationID: "big"])
        }
        #expect(response.status == .contentTooLarge)
        #expect(response["error"] == "payload_too_large")
        #expect(response["message"]?.stringValue?.contains("1048576 bytes") == true)
        #expect(response.correlationID == "big")
    }

    @Test func aBodyOfExactlyTheLimitIsNotTooLarge() async throws {
        var configuration = APIConfiguration()
        configuration.maxBodyBytes = 64
        let body = #"{"qc": "x", "shots": 0, "pad": ""#
        let padded = body + String(repeating: "p", count: 64 - body.utf8.count - 2) + #""}"#
        #expect(padded.utf8.count == 64)
        try await APITestServer.run(database: try APITestServer.refusingDatabase, configuration: configuration) { client in
            let atLimit = try await client.send(.post, "/tasks", body: padded)
            let overLimit = try await client.send(.post, "/tasks", body: padded + " ")
            // Reaches validation (422), so the size check let it through.
            #expect(atLimit.status == .unprocessableContent)
            #expect(overLimit.status == .contentTooLarge)
        }
    }

    @Test func databaseOutageIs503WithinTheDeadline() async throws {
        var configuration = APIConfiguration()
        configuration.databaseTimeout = .milliseconds(500)
        try await APITestServer.run(database: try APITestServer.refusingDatabase, configuration: configuration) { client in
            for (method, path, body) in [(HTTPRequest.Method.post, "/tasks", #"{"qc": "x"}"#),
                                         (.get, "/tasks/3f1c2b4a-9d8e-4f70-8a6b-5c4d3e2f1a0b", nil)] {
                let start = ContinuousClock.now
                let response = try await client.send(method, path, body: body)
                #expect(ContinuousClock.now - start < .seconds(2))
                #expect(response.status == .serviceUnavailable)
                #expect(response["error"] == "database_unavailable")
                #expect(response["message"]?.stringValue?.contains("retry") == true)
                #expect(response["correlation_id"]?.stringValue == response.correlationID)
            }
        }
    }
}
