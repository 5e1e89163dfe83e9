import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Minimal JSON-over-HTTP client for tests that talk to a real `qtq serve` on loopback.
public struct HTTPTestClient: Sendable {
    public let baseURL: URL

    public init(port: Int) {
        baseURL = URL(string: "http://127.0.0.1:\(port)")!
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    public func send(_ method: String, _ path: String, json: Any? = nil, headers: [String: String] = [:]) async throws -> Response {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.httpMethod = method
        request.timeoutInterval = 10
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            fields[String(describing: key).lowercased()] = String(describing: value)
        }
        return Response(status: http.statusCode, headers: fields, body: data)
    }
}
