import ArgumentParser
import Foundation
import Logging
import TaskQueue

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print how many tasks are in each status, as JSON.")

    func run() async throws {
        let logger = Logger(label: "qtq.stats")
        let url = try Environment.databaseURL()
        let stats = try await withDatabase(url, logger: logger) { client in
            try await TaskStore(client: client, logger: logger).stats()
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(stats), as: UTF8.self))
    }
}
