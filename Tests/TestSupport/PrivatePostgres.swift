import Foundation
import TaskQueue

/// A PostgreSQL server of the test's own (through scripts/lib/pg.sh, the same code scripts/test uses),
/// for tests that stop and restart the database under a running API or worker.
public struct PrivatePostgres: Sendable {
    public let directory: URL
    public let port: Int

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    public var serverURL: DatabaseURL {
        get throws { try DatabaseURL("postgres://postgres@127.0.0.1:\(port)/postgres") }
    }

    public static func start() throws -> PrivatePostgres {
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("qtq-pg-\(UUID().uuidString.prefix(8))")
        let server = PrivatePostgres(directory: directory, port: try freePort())
        try server.start()
        return server
    }

    public func start() throws {
        try Self.pg("PG_EXTRA_OPTS='-c fsync=off' start_private_pg \"$1\" \"$2\"", directory.path, "\(port)")
    }

    public func stop() throws {
        try Self.pg("stop_private_pg \"$1\"", directory.path)
    }

    public func destroy() {
        try? stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a pg.sh function through bash. posix_spawn rather than Foundation's Process: Process
    /// treats a child as running while any descendant holds its bookkeeping descriptor, and the
    /// postmaster, which outlives pg_ctl, would hold it forever.
    static func pg(_ command: String, _ arguments: String...) throws {
        let library = repositoryRoot.appendingPathComponent("scripts/lib/pg.sh").path
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("qtq-pg-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        // Close every inherited descriptor above stderr first, so the postmaster holds none of ours.
        let closeInherited = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; if ((n > 2)); then eval "exec $n>&-"; fi; done 2>/dev/null"#
        let argv = ["/bin/bash", "-c", "\(closeInherited); set -e; source '\(library)'; \(command)", "pg"] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw TestSetupError("could not start bash (errno \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw TestSetupError("scripts/lib/pg.sh `\(command)` failed: \(log)")
        }
    }
}
