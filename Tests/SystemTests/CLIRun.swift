import Foundation
import TestSupport

/// One run of a `qtq` client command (submit, status, list, cancel) with its standard output and error kept
/// apart, as a shell user sees them. Not a terminal, so no progress line is expected on either.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    static func qtq(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> CLIRun {
        let process = Process()
        process.executableURL = try QTQProcess.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["QTQ_URL"] = nil  // only what the test passes
        env.merge(environment) { _, new in new }
        process.environment = env
        // Files, not pipes: a large output cannot block the child while the test waits for it to exit.
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("qtq-cli-out-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent("qtq-cli-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A test that fails while this runs (an `async let`) cancels it: stop the child rather than wait it out.
        let exited = await eventually(timeout: timeout, every: .milliseconds(20)) { !process.isRunning || Task.isCancelled }
        guard exited, !process.isRunning else {
            process.terminate()
            try Task.checkCancellation()
            throw TestSetupError("qtq \(arguments.joined(separator: " ")) did not exit within \(timeout)")
        }
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return CLIRun(status: process.terminationStatus, stdout: read(outURL), stderr: read(errURL))
    }
}
