import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The qtq HTTP API as the CLI uses it: one method per operation, answers decoded, failures as `ClientError`.
struct APIClient: Sendable {
    let baseURL: String
    private let http: HTTPClient

    /// Runs `body` with a client for `baseURL`, shut down afterwards whatever happens.
    static func with<Result: Sendable>(
        baseURL: String,
        _ body: (APIClient) async throws(ClientError) -> Result
    ) async throws(ClientError) -> Result {
        var configuration = HTTPClient.Configuration()
        // A CLI should say at once that nothing listens, not retry connecting until the request's deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let outcome: Swift.Result<Result, ClientError>
        do {
            outcome = .success(try await body(APIClient(baseURL: baseURL, http: http)))
        } catch {
            outcome = .failure(error)
        }
        try? await http.shutdown()
        return try outcome.get()
    }

    private init(baseURL: String, http: HTTPClient) {
        self.baseURL = baseURL
        self.http = http
    }

    struct Submission: Encodable {
        var qc: String
        var shots: Int?
        var seed: UInt64?
        /// nil: the server's default (double).
        var precision: String?
    }

    func submit(_ submission: Submission) async throws(ClientError) -> SubmittedTask {
        let body: Data
        do {
            body = try JSONEncoder().encode(submission)
        } catch {
            throw .unexpectedResponse("the circuit could not be encoded as JSON (\(error))")
        }
        return try decode(SubmittedTask.self, from: try await send(.POST, "/tasks", body: body))
    }

    /// `GET /tasks/{id}`; with `wait`, answered when the task finishes or after that many seconds.
    func task(_ id: String, wait: Int? = nil) async throws(ClientError) -> (task: TaskBody, json: Data) {
        let query = wait.map { "?wait=\($0)" } ?? ""
        // The server may hold the request for `wait` seconds: the deadline leaves room for that.
        let answer = try await send(.GET, "/tasks/\(Self.escaped(id))\(query)", timeout: .seconds(Int64(wait ?? 0) + 30))
        return (try decode(TaskBody.self, from: answer), answer.body)
    }

    func list(statuses: [String], limit: Int?, cursor: String?) async throws(ClientError) -> (list: TaskList, json: Data) {
        var query: [String] = []
        if !statuses.isEmpty { query.append("status=" + Self.escaped(statuses.joined(separator: ","))) }
        if let limit { query.append("limit=\(limit)") }
        if let cursor { query.append("cursor=" + Self.escaped(cursor)) }
        let answer = try await send(.GET, "/tasks" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
        return (try decode(TaskList.self, from: answer), answer.body)
    }

    /// 200: cancelled now; 202: processing, its worker stops it within a second.
    func cancel(_ id: String) async throws(ClientError) -> (status: Int, task: TaskBody) {
        let answer = try await send(.POST, "/tasks/\(Self.escaped(id))/cancel")
        return (answer.status, try decode(TaskBody.self, from: answer))
    }

    // MARK: - Transport

    private struct Answer {
        var status: Int
        var body: Data
    }

    /// One request; a non-2xx answer becomes `.api` with the envelope's message.
    private func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, timeout: TimeAmount = .seconds(30)) async throws(ClientError) -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let answer: Answer
        do {
            let response = try await http.execute(request, timeout: timeout)
            // Task bodies are small; a result of 2^20 distinct outcomes stays well under this.
            let bytes = try await response.body.collect(upTo: 256 << 20)
            answer = Answer(status: Int(response.status.code), body: Data(bytes.readableBytesView))
        } catch {
            throw .unreachable(url: baseURL, reason: Self.reason(error))
        }
        guard (200..<300).contains(answer.status) else {
            guard let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: answer.body) else {
                throw .unexpectedResponse("HTTP \(answer.status) without the API's error body")
            }
            throw .api(status: answer.status, code: envelope.error, message: envelope.message)
        }
        return answer
    }

    private func decode<Body: Decodable>(_ type: Body.Type, from answer: Answer) throws(ClientError) -> Body {
        do {
            return try JSONDecoder().decode(type, from: answer.body)
        } catch {
            throw .unexpectedResponse("HTTP \(answer.status) with a body that is not the expected JSON (\(error))")
        }
    }

    /// A short, human reason for a transport failure.
    private static func reason(_ error: any Error) -> String {
        switch error as? HTTPClientError {
        case HTTPClientError.connectTimeout?: return "timed out connecting"
        case HTTPClientError.deadlineExceeded?, HTTPClientError.readTimeout?: return "no answer in time"
        case HTTPClientError.remoteConnectionClosed?: return "the server closed the connection"
        default: break
        }
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        if text.localizedCaseInsensitiveContains("unreachable") { return "host unreachable" }
        return text
    }

    /// Percent-encodes user input placed in a path segment or query value.
    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~,")
}
