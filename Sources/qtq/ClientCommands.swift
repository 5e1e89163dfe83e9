import ArgumentParser
import Foundation

/// `qtq submit FILE [--shots N] [--seed S] [--wait]`: the task id, or with --wait its result as JSON
/// (the same shape `qtq run` prints).
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit an OpenQASM file to the API and print the task id (with --wait, its counts as JSON)."
    )

    @Argument(help: "OpenQASM 3 or 2 file ('-' for standard input).")
    var file: String

    @Option(help: "Number of shots, 1...100000 (default: the server's, 1024).")
    var shots: Int?

    @Option(help: "Random seed for reproducible counts.")
    var seed: UInt64?

    @Flag(help: "Wait until the task finishes; print its result, or its error and exit 1.")
    var wait = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let source = try readSource(file)
        let output = try await client.withAPI { api throws(ClientError) in
            let submitted = try await api.submit(APIClient.Submission(qc: source, shots: shots, seed: seed))
            guard wait else { return submitted.taskID }
            let task = try await TaskWaiter(api: api, progress: .onStandardError()).waitUntilFinished(submitted.taskID)
            return try TaskFormatter.resultJSON(of: task)
        }
        print(output)
    }
}

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

/// `qtq cancel ID`.
struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cancel a task: a pending one at once, a processing one within a second; a finished one exits 1."
    )

    @Argument(help: "The task id that `qtq submit` printed.")
    var id: String

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (status, task) = try await client.withAPI { api throws(ClientError) in try await api.cancel(id) }
        print(status == 202
            ? "Task \(task.taskID) is processing; its worker stops it within a second."
            : "Task \(task.taskID) is cancelled.")
    }
}
