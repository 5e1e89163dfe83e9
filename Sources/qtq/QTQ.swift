import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

struct QTQ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qtq",
        abstract: "Quantum-circuit task queue: an HTTP API, PostgreSQL as the queue, and simulator workers.",
        subcommands: [
            Serve.self, Work.self, Migrate.self, Run.self, Check.self, Stats.self,
            // Clients of a running API.
            Submit.self, Status.self, List.self, Cancel.self, Healthcheck.self,
        ]
    )
}

@main
enum Entry {
    static func main() async {
        // The API and workers: NIO's event loops (which Hummingbird and PostgresNIO already use) become the
        // async runtime's executor, so a request's handler and its database I/O stay on one thread instead of
        // hopping between two pools (each hop a futex wake-up). Installed before anything else runs, from the
        // main thread, as NIO requires.
        let enabled = ProcessInfo.processInfo.environment["QTQ_NIO_EXECUTOR"] != "0"  // 0: measure without it
        if enabled, let command = CommandLine.arguments.dropFirst().first, ["serve", "work"].contains(command) {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        await QTQ.main()
    }
}
