import Foundation

/// The one-line "still waiting" display of `qtq submit --wait`, rewritten in place on standard error, and only
/// when standard error is a terminal: redirected output (scripts, logs, the tests) never sees it.
struct ProgressLine {
    let enabled: Bool

    static func onStandardError() -> ProgressLine {
        ProgressLine(enabled: isatty(STDERR_FILENO) == 1)
    }

    func show(_ text: String) {
        guard enabled else { return }
        // Carriage return, then erase to the end of the line: the new text replaces the old.
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
