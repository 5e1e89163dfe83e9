import Foundation

/// One numbered file of `sql/`, e.g. `001_initial_schema.sql` → version 1.
public struct Migration: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads `NNN_name.sql` files from `directory`, ordered by number.
    public static func load(from directory: URL) throws(TaskQueueError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw TaskQueueError(.migration, "Cannot read the migrations folder \(directory.path); set QTQ_MIGRATIONS_DIR or --migrations-dir.")
        }
        var migrations: [Migration] = []
        for name in names where name.hasSuffix(".sql") {
            guard let number = Int(name.prefix { $0.isNumber }), name.first?.isNumber == true else {
                throw TaskQueueError(.migration, "Migration file \(name) must start with its number, like 002_add_index.sql.")
            }
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else {
                throw TaskQueueError(.migration, "Cannot read migration file \(name) as UTF-8 text.")
            }
            migrations.append(Migration(version: number, name: name, sql: text))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw TaskQueueError(.migration, "Migrations \(previous.name) and \(next.name) share number \(next.version).")
        }
        return migrations
    }

    /// Where `qtq migrate` looks when no folder is given: $QTQ_MIGRATIONS_DIR, ./sql, or sql/ above the executable.
    public static func defaultDirectory() -> URL {
        if let configured = ProcessInfo.processInfo.environment["QTQ_MIGRATIONS_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("sql")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("sql")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("001_initial_schema.sql").path) {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        return local
    }
}
