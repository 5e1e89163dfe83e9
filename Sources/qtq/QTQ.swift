import ArgumentParser

@main
struct QTQ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qtq",
        abstract: "Quantum-circuit task queue: an HTTP API, PostgreSQL as the queue, and simulator workers.",
        subcommands: [Serve.self, Work.self, Migrate.self, Run.self, Check.self, Stats.self]
    )
}
