extension TaskResult {
    /// The stored form (`tasks.result`), written by hand: Foundation's JSONEncoder took 13% of a worker's CPU at a
    /// few thousand Bell tasks per second (perf, `scripts/bench queue`), this takes a small fraction of that.
    /// Same document as `JSONEncoder` with sorted keys; `TaskResultJSONTests` checks they decode alike. Bytes go
    /// straight into the string's storage (appending piece by piece cost ~12k instructions for a Bell result).
    public var jsonText: String {
        let entries = counts.sorted(by: { $0.key < $1.key })
        // Everything but the counts fits in 128 bytes (`{"counts":{`, precision, seed, shots, success).
        var capacity = 128
        for (key, _) in entries { capacity += JSONByteWriter.quotedCapacity(key) + 2 + JSONByteWriter.integerCapacity }
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var text = JSONByteWriter(buffer)
            text.append("{\"counts\":{")
            for (position, (key, count)) in entries.enumerated() {
                if position > 0 { text.append(",") }
                text.appendQuoted(key)
                text.append(":")
                text.append(count)
            }
            text.append("}")
            if let precision {
                text.append(",\"precision\":\"")
                text.append(precision.rawValue)
                text.append("\"")
            }
            if let seed {
                text.append(",\"seed\":")
                text.append(seed)
            }
            text.append(",\"shots\":")
            text.append(shots)
            text.append(success ? ",\"success\":true}" : ",\"success\":false}")
            return text.count
        }
    }
}
