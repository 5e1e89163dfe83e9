import ArgumentParser
import TaskQueue

/// `qtq submit FILE [--shots N] [--seed S] [--precision single|double] [--wait]`: the task id, or with --wait its result as JSON
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

    @Option(help: "Amplitude precision: single (complex64, half the memory) or double (complex128; the server's default).")
    var precision: TaskPrecision?

    @Flag(help: "Wait until the task finishes; print its result, or its error and exit 1.")
    var wait = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let source = try readSource(file)
        let output = try await client.withAPI { api throws(ClientError) in
            let submitted = try await api.submit(APIClient.Submission(qc: source, shots: shots, seed: seed, precision: precision?.rawValue))
            guard wait else { return submitted.taskID }
            let task = try await TaskWaiter(api: api, progress: .onStandardError()).waitUntilFinished(submitted.taskID)
            return try TaskFormatter.resultJSON(of: task)
        }
        print(output)
    }
}
