import Simulator

/// The JSON document a worker stores for a completed task (`tasks.result`), built the way the worker builds it:
/// `TaskResult.jsonText` in Sources/TaskQueue/Model/TaskResult+JSON.swift, over the same fields. qtq-bench may not
/// import TaskQueue (it pulls in the database client), so the few lines it needs are repeated here; keep the two
/// alike. Part of every timed task: the per-task goal counts the counts JSON too.
enum ResultDocument {
    static func json(_ result: SimulationResult) -> String {
        var text = "{\"counts\":{"
        text.reserveCapacity(32 + result.counts.count * 24)
        var first = true
        for (key, count) in result.counts.sorted(by: { $0.key < $1.key }) {
            if !first { text += "," }
            first = false
            appendQuoted(key, to: &text)
            text += ":"
            text += String(count)
        }
        text += "}"
        text += ",\"precision\":\"" + result.precision.rawValue + "\""
        text += ",\"seed\":" + String(result.seed)
        text += ",\"shots\":" + String(result.shots) + ",\"success\":true}"
        return text
    }

    private static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
