import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
@testable import TaskAPI
import TaskQueue

/// Runs the real API application on a loopback socket (`.live`) against a real PostgreSQL.
enum APITestServer {
    /// The listener of an app whose database is gone retries noisily; tests only need errors.
    static let quietLogger: Logger = {
        var logger = Logger(label: "api-test")
        logger.logLevel = .critical
        return logger
    }()

    static func run<T: Sendable>(
        database: DatabaseURL,
        configuration: APIConfiguration = APIConfiguration(),
        logger: Logger = quietLogger,
        _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: database.clientConfiguration, backgroundLogger: quietLogger)
        let app = makeAPIApplication(configuration: configuration, client: client, logger: logger)
        return try await app.test(.live, body)
    }

    /// A PostgreSQL URL where nothing listens (port 1 on loopback refuses connections at once).
    static var refusingDatabase: DatabaseURL {
        get throws { try DatabaseURL("postgres://postgres@127.0.0.1:1/nowhere") }
    }
}

/// A response with its body decoded by the API's own JSON parser, for typed assertions.
struct APIResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String
    var json: JSONValue

    var correlationID: String? { headers[.correlationID] }
    var contentType: String? { headers[.contentType] }
    subscript(key: String) -> JSONValue? { json[key] }
}

extension TestClientProtocol {
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        body: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> APIResponse {
        try await send(method, uri, bytes: body.map { Array($0.utf8) }, headers: headers)
    }

    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        bytes: [UInt8]?,
        headers: HTTPFields = [:]
    ) async throws -> APIResponse {
        let response = try await executeRequest(uri: uri, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) })
        let text = String(buffer: response.body)
        // The contract test: every response any TaskAPI test receives must match the OpenAPI document.
        try OpenAPIContract.served.check(method: method, uri: uri, status: Int(response.status.code), headers: response.headers, body: text)
        let json = (try? JSONParser.parse(Array(text.utf8))) ?? .null
        return APIResponse(status: response.status, headers: response.headers, text: text, json: json)
    }

    /// Polls `/health` until it is 200 (the listener connects in the background), or gives up at the deadline.
    func waitUntilHealthy(within timeout: Duration = .seconds(10)) async throws -> APIResponse {
        let deadline = ContinuousClock.now + timeout
        while true {
            let response = try await send(.get, "/health")
            if response.status == .ok || ContinuousClock.now >= deadline { return response }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Compact JSON text, as the API writes it.
    var serialized: String { JSONCoding.text(self) }

    /// Member names in the order the answer has them.
    var keys: [String] {
        if case .object(let members) = self { return members.map(\.key) }
        return []
    }
}
