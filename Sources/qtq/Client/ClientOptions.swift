import ArgumentParser
import Foundation

/// `--url`, shared by the client commands, and how they report a failure.
struct ClientOptions: ParsableArguments {
    static let defaultURL = "http://127.0.0.1:8001"

    @Option(help: "The qtq API (default: $QTQ_URL, else \(ClientOptions.defaultURL)).")
    var url: String?

    /// The API's base URL without a trailing slash.
    func baseURL() throws(ClientError) -> String {
        var text = url ?? Environment.string("QTQ_URL") ?? Self.defaultURL
        while text.hasSuffix("/") { text.removeLast() }
        guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
            throw .invalidURL(text)
        }
        return text
    }

    /// Runs `body` against the API; a failure is printed as one sentence on standard error and becomes the
    /// command's exit status (`ClientError.exitCode`).
    func withAPI<Result: Sendable>(_ body: (APIClient) async throws(ClientError) -> Result) async throws -> Result {
        do {
            return try await APIClient.with(baseURL: try baseURL(), body)
        } catch {
            FileHandle.standardError.write(Data("qtq: \(error)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }
}
