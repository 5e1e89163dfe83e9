extension TaskResult {
    /// The stored form (`tasks.result`), written by hand: Foundation's JSONEncoder took 13% of a worker's CPU at a
    /// few thousand Bell tasks per second (perf, `scripts/bench queue`), this takes a small fraction of that.
    /// Same document as `JSONEncoder` with sorted keys; `TaskResultJSONTests` checks they decode alike.
    public var jsonText: String {
        var text = "{\"counts\":{"
        text.reserveCapacity(32 + counts.count * 24)
        var first = true
        for (key, count) in counts.sorted(by: { $0.key < $1.key }) {
            if !first { text += "," }
            first = false
            Self.appendQuoted(key, to: &text)
            text += ":"
            text += String(count)
        }
        text += "}"
        if let precision { text += ",\"precision\":\"" + precision.rawValue + "\"" }
        if let seed { text += ",\"seed\":" + String(seed) }
        text += ",\"shots\":" + String(shots) + ",\"success\":" + (success ? "true" : "false") + "}"
        return text
    }

    static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{0}"..."\u{1F}": text += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
