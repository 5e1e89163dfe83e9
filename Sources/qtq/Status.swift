import ArgumentParser
import Foundation

/// `qtq status ID`: the task's state, history-free, or the API's JSON with --json.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a task: status, timings, and its counts or error.")

    @Argument(help: "The task id that `qtq submit` printed.")
    var id: String

    @Flag(help: "Print the API's JSON body as received.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (task, body) = try await client.withAPI { api throws(ClientError) in try await api.task(id) }
        print(json ? String(decoding: body, as: UTF8.self) : TaskFormatter.describe(task))
    }
}
