import ArgumentParser

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
