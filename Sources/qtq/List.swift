import ArgumentParser
import Foundation

/// `qtq list [--status S]... [--limit N] [--cursor C]`: newest first, one line per task.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List tasks, newest first.")

    @Option(name: .long, help: "Only tasks with this status (repeat it, or give a comma-separated list).")
    var status: [String] = []

    @Option(help: "At most this many tasks (1...1000; default: the server's, 50).")
    var limit: Int?

    @Option(help: "Continue after the page that printed this cursor.")
    var cursor: String?

    @Flag(help: "Print the API's JSON body as received.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let statuses = status.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let (list, body) = try await client.withAPI { api throws(ClientError) in
            try await api.list(statuses: statuses, limit: limit, cursor: cursor)
        }
        if json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        print(TaskFormatter.table(list.tasks))
        if let next = list.nextCursor {
            // On standard error, so the table itself stays easy to pipe.
            FileHandle.standardError.write(Data("more: qtq list --cursor \(next)\n".utf8))
        }
    }
}
