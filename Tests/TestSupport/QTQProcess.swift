import Foundation

/// A `qtq` child process (API or worker) started from the binary scripts/test built (QTQ_BINARY),
/// with its JSON log lines captured to a file for assertions and post-mortems.
public final class QTQProcess: @unchecked Sendable {
    // @unchecked: Process is only touched from the test that owns this object.
    public let process: Process
    public let logFile: URL

    public static var binary: URL {
        get throws {
            guard let path = ProcessInfo.processInfo.environment["QTQ_BINARY"], !path.isEmpty else {
                throw TestSetupError("QTQ_BINARY is not set: run the tests with scripts/test, which builds qtq.")
            }
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw TestSetupError("QTQ_BINARY (\(path)) is not an executable file; build with `swift build` first.")
            }
            return URL(fileURLWithPath: path)
        }
    }

    public init(_ arguments: [String], environment: [String: String]) throws {
        process = Process()
        process.executableURL = try Self.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        logFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("qtq-\(arguments.first ?? "x")-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for exit and returns the exit status, or nil if it is still running at the deadline.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
public func eventually(
    timeout: Duration,
    every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

/// A TCP port nothing listens on right now (the kernel picks it).
public func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestSetupError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw TestSetupError("could not find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
