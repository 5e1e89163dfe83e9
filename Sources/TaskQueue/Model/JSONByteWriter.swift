/// Writes JSON text into a buffer sized by the caller (for `TaskResult.jsonText`): no intermediate strings, one
/// allocation for the whole document. The caller's capacity must cover the worst case of what it writes.
struct JSONByteWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    /// Worst-case bytes of `appendQuoted(text)`: every byte escaped as `\u00XX`, plus the quotes.
    static func quotedCapacity(_ text: String) -> Int { 6 * text.utf8.count + 2 }

    /// Bytes of the longest integer `append` writes (`-9223372036854775808`, `18446744073709551615`).
    static let integerCapacity = 20

    mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { append(contentsOf: $0) }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    mutating func append(_ value: Int) {
        if value < 0 {
            buffer[count] = UInt8(ascii: "-")
            count += 1
        }
        append(UInt64(value.magnitude))
    }

    mutating func append(_ value: UInt64) {
        // Digits are produced last first: count them, then fill backwards.
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

    /// A JSON string literal: quotes and backslashes escaped, control characters as `\u00XX`, the rest as UTF-8
    /// (multi-byte sequences never contain bytes below 0x80, so bytes can be checked one at a time).
    mutating func appendQuoted(_ text: String) {
        let hex: StaticString = "0123456789abcdef"
        buffer[count] = UInt8(ascii: "\"")
        count += 1
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                buffer[count] = UInt8(ascii: "\\")
                buffer[count + 1] = byte
                count += 2
            case 0..<0x20:
                buffer[count] = UInt8(ascii: "\\")
                buffer[count + 1] = UInt8(ascii: "u")
                buffer[count + 2] = UInt8(ascii: "0")
                buffer[count + 3] = UInt8(ascii: "0")
                buffer[count + 4] = hex.utf8Start[Int(byte >> 4)]
                buffer[count + 5] = hex.utf8Start[Int(byte & 0xF)]
                count += 6
            default:
                buffer[count] = byte
                count += 1
            }
        }
        buffer[count] = UInt8(ascii: "\"")
        count += 1
    }

    private mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        UnsafeMutableBufferPointer(rebasing: buffer[count..<(count + bytes.count)]).initialize(fromContentsOf: bytes)
        count += bytes.count
    }
}
