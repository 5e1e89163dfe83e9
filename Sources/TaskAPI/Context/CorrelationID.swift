import Foundation

/// Ties every log line, response and stored task of one request together.
enum CorrelationID {
    static let headerName = "X-Correlation-ID"
    static let maximumLength = 128

    /// The client's id when it is safe to echo and log (≤ 128 of `[A-Za-z0-9._-]`), otherwise a new UUID.
    static func resolve(_ supplied: String?) -> String {
        if let supplied, isValid(supplied) { return supplied }
        return UUID.makeRandom().lowercasedString
    }

    static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maximumLength && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }
}
