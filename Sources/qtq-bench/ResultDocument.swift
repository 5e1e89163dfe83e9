import Simulator

/// The JSON document a worker stores for a completed task (`tasks.result`), built the way the worker builds it:
/// `TaskResult.jsonText` (Sources/TaskQueue/Model/TaskResult+JSON.swift, with its `JSONByteWriter`), over the same
/// fields. qtq-bench may not import TaskQueue (it pulls in the database client), so the few lines it needs are
/// repeated here; keep the two alike. Part of every timed task: the per-task goal counts the counts JSON.
enum ResultDocument {
    static func json(_ result: SimulationResult) -> String {
        let entries = result.counts.sorted(by: { $0.key < $1.key })
        var capacity = 128
        for (key, _) in entries { capacity += 6 * key.utf8.count + 24 }
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var count = 0
            func append(_ literal: StaticString) {
                (buffer.baseAddress! + count).update(from: literal.utf8Start, count: literal.utf8CodeUnitCount)
                count += literal.utf8CodeUnitCount
            }
            func append(_ value: UInt64) {
                var digits = 1
                var rest = value / 10
                while rest > 0 {
                    digits += 1
                    rest /= 10
                }
                var remaining = value
                for position in stride(from: count + digits - 1, through: count, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                    remaining /= 10
                }
                count += digits
            }
            func append(_ value: Int) {
                if value < 0 { append("-") }
                append(UInt64(value.magnitude))
            }
            append("{\"counts\":{")
            for (position, (key, value)) in entries.enumerated() {
                if position > 0 { append(",") }
                buffer[count] = UInt8(ascii: "\"")
                count += 1
                for byte in key.utf8 {
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                        buffer[count] = UInt8(ascii: "\\")
                        buffer[count + 1] = byte
                        count += 2
                    case 0..<0x20:
                        let hex: StaticString = "0123456789abcdef"
                        append("\\u00")
                        buffer[count] = hex.utf8Start[Int(byte >> 4)]
                        buffer[count + 1] = hex.utf8Start[Int(byte & 0xF)]
                        count += 2
                    default:
                        buffer[count] = byte
                        count += 1
                    }
                }
                buffer[count] = UInt8(ascii: "\"")
                count += 1
                append(":")
                append(value)
            }
            append(result.precision == .single ? "},\"precision\":\"single\",\"seed\":" : "},\"precision\":\"double\",\"seed\":")
            append(result.seed)
            append(",\"shots\":")
            append(result.shots)
            append(",\"success\":true}")
            return count
        }
    }
}
