import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import TaskAPI
import TaskQueue

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP API (default port 8001).")

    @Option(help: "Address to bind (default: $QTQ_HOST, else 0.0.0.0).")
    var host: String?

    @Option(help: "Port (default: $QTQ_PORT, else 8001).")
    var port: Int?

    func run() async throws {
        LogSetup.bootstrap(service: "api")
        let logger = Logger(label: "qtq.api")
        var configuration = APIConfiguration()
        configuration.host = host ?? Environment.string("QTQ_HOST") ?? configuration.host
        configuration.port = try port ?? Environment.int("QTQ_PORT") ?? configuration.port
        if let transactions = try Environment.int("QTQ_SUBMIT_TRANSACTIONS") {
            guard transactions >= 1 else { throw ValidationError("QTQ_SUBMIT_TRANSACTIONS must be at least 1.") }
            configuration.concurrentSubmitTransactions = transactions
        }
        if let seconds = try Environment.double("QTQ_REQUEST_BODY_TIMEOUT_SECONDS") {
            guard seconds >= 1 else { throw ValidationError("QTQ_REQUEST_BODY_TIMEOUT_SECONDS must be at least 1.") }
            configuration.requestBodyTimeout = .milliseconds(Int64(seconds * 1000))
        }
        if let keys = Environment.string("QTQ_API_KEYS") {
            do {
                configuration.apiKeys = try APIKeys(keys)
            } catch {
                throw ValidationError(error.description)
            }
        }
        if let origins = Environment.string("QTQ_CORS_ORIGINS") {
            configuration.corsOrigins = Set(origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        // scripts/run and the Dockerfile set it; from a checkout, the folder scripts/fetch-docs-assets fills.
        configuration.docsAssetsDirectory = Environment.string("QTQ_DOCS_ASSETS_DIR") ?? ".docs-assets"
        let url = try Environment.databaseURL()
        // The server gives up on a statement before the API does (503): a timed-out submission is rolled back.
        // A few connections suffice: submissions share transactions, and two cores run little in parallel.
        let client = PostgresClient(
            configuration: url.clientConfiguration(
                statementTimeout: configuration.databaseTimeout - .milliseconds(500), maximumConnections: 8
            ),
            backgroundLogger: logger
        )
        let app = makeAPIApplication(configuration: configuration, client: client, logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
