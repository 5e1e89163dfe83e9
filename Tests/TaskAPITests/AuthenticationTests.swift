import Foundation
import HTTPTypes
import HummingbirdTesting
@testable import TaskAPI
import TaskQueue
import Testing
import TestSupport

/// `QTQ_API_KEYS` and `QTQ_CORS_ORIGINS`, over real HTTP against a real PostgreSQL.
@Suite struct AuthenticationTests {
    static let alice = "alice-secret-0123456789"
    static let bob = "bob-secret-0123456789ab"

    static func configuration() throws -> APIConfiguration {
        var configuration = APIConfiguration()
        configuration.apiKeys = try APIKeys("alice=\(alice), bob=\(bob)")
        configuration.corsOrigins = ["https://app.example"]
        return configuration
    }

    static func auth(_ secret: String) -> HTTPFields { [.authorization: "Bearer \(secret)"] }

    @Test func keysAreRequiredAndEachSeesOnlyItsOwnTasks() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url, configuration: try Self.configuration()) { client in
            let body = #"{"qc": "x", "shots": 5}"#
            let anonymous = try await client.send(.post, "/tasks", body: body)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous["error"] == "unauthorized")
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            let wrong = try await client.send(.post, "/tasks", body: body, headers: Self.auth("alice-secret-0123456788"))
            #expect(wrong.status == .unauthorized)
            #expect(try await client.send(.get, "/tasks", headers: [.authorization: "Basic YWxpY2U6eA=="]).status == .unauthorized)
            #expect(try await client.send(.get, "/metrics").status == .unauthorized)

            // Health and documentation stay open.
            for path in ["/health", "/livez", "/readyz", "/openapi.yaml", "/"] {
                #expect(try await client.send(.get, path).status != .unauthorized, "\(path)")
            }

            let key = HTTPField.Name("Idempotency-Key")!
            var aliceHeaders = Self.auth(Self.alice)
            aliceHeaders[key] = "same-key"
            var bobHeaders = Self.auth(Self.bob)
            bobHeaders[key] = "same-key"
            let mine = try await client.send(.post, "/tasks", body: body, headers: aliceHeaders)
            #expect(mine.status == .accepted)
            let id = try #require(mine["task_id"]?.stringValue)
            // The same idempotency key from another API key is another submission, not a replay of alice's.
            let theirs = try await client.send(.post, "/tasks", body: #"{"qc": "y", "shots": 5}"#, headers: bobHeaders)
            #expect(theirs.status == .accepted)
            #expect(theirs["task_id"] != mine["task_id"])
            let batch = try await client.send(.post, "/tasks/batch", body: #"{"tasks": [{"qc": "z"}]}"#, headers: Self.auth(Self.bob))
            #expect(batch.status == .accepted)

            #expect(try await client.send(.get, "/tasks/\(id)", headers: Self.auth(Self.alice)).status == .ok)
            #expect(try await client.send(.get, "/tasks/\(id)", headers: Self.auth(Self.bob)).status == .notFound)
            #expect(try await client.send(.get, "/tasks/\(id)?wait=1", headers: Self.auth(Self.bob)).status == .notFound)
            #expect(try await client.send(.post, "/tasks/\(id)/cancel", headers: Self.auth(Self.bob)).status == .notFound)
            let aliceList = try await client.send(.get, "/tasks", headers: Self.auth(Self.alice))
            #expect(aliceList["tasks"]?.arrayValue?.compactMap { $0["task_id"]?.stringValue } == [id])
            let bobList = try await client.send(.get, "/tasks", headers: Self.auth(Self.bob))
            #expect(bobList["tasks"]?.arrayValue?.count == 2)
            #expect(try await client.send(.post, "/tasks/\(id)/cancel", headers: Self.auth(Self.alice)).status == .ok)

            // The owner is the key's name; the secret is stored nowhere.
            let stored = try await database.withClient { postgres in
                var rows: [String] = []
                for try await (owner, key) in try await postgres.query("SELECT owner, coalesce(idempotency_key, '') FROM tasks ORDER BY submitted_at")
                    .decode((String, String).self) { rows.append(owner + "|" + key) }
                return rows
            }
            #expect(stored.count == 3)
            #expect(stored.first?.hasPrefix("alice|alice") == true)
            #expect(!stored.joined().contains("secret"))
        }
    }

    @Test func corsHeadersOnlyForListedOrigins() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url, configuration: try Self.configuration()) { client in
            let preflight = try await client.send(.options, "/tasks", headers: [
                .origin: "https://app.example", .accessControlRequestMethod: "POST",
                .accessControlRequestHeaders: "authorization, content-type",
            ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            let allowed = try await client.send(.get, "/health", headers: [.origin: "https://app.example"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example")
            let other = try await client.send(.get, "/health", headers: [.origin: "https://evil.example"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func withoutSettingsThereIsNoCORSAndNoKeyIsNeeded() async throws {
        let database = try await TestDatabase.create()
        try await APITestServer.run(database: database.url) { client in
            let response = try await client.send(.post, "/tasks", body: #"{"qc": "x"}"#, headers: [.origin: "https://app.example"])
            #expect(response.status == .accepted)
            #expect(response.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func badKeySettingsAreRefusedWithAClearSentence() {
        for setting in ["alice", "alice=short", "a b=0123456789abcdef", "alice=0123456789abcdef,alice=0123456789abcdeg",
                        "alice=0123456789abcdef,bob=0123456789abcdef", " , "] {
            #expect(throws: APIKeysError.self, "\(setting)") { try APIKeys(setting) }
        }
    }
}
