import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore

/// `qtq healthcheck URL`: exit 0 when the URL answers 2xx within the timeout, else one line on stderr and exit 1.
/// For container healthchecks: the runtime image has no curl.
struct Healthcheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when URL answers 2xx in time (container healthchecks: the API's /readyz, a worker's /metrics)."
    )

    @Argument(help: "The URL to GET, e.g. http://127.0.0.1:8001/readyz.")
    var url: String

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 3

    func validate() throws {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("The URL must start with http:// or https://, like http://127.0.0.1:8001/readyz.")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be above 0 seconds.") }
    }

    func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let outcome: Result<UInt, any Error>
        do {
            let response = try await http.execute(
                HTTPClientRequest(url: url), timeout: .milliseconds(Int64(timeout * 1000))
            )
            outcome = .success(response.status.code)
        } catch {
            outcome = .failure(error)
        }
        try? await http.shutdown()
        switch outcome {
        case .success(let code) where (200..<300).contains(code):
            return
        case .success(let code):
            FileHandle.standardError.write(Data("unhealthy: \(url) answered \(code)\n".utf8))
        case .failure(let error):
            FileHandle.standardError.write(Data("unhealthy: \(url) did not answer (\(error))\n".utf8))
        }
        throw ExitCode(1)
    }
}
