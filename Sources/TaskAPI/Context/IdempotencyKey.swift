import HTTPTypes

/// The optional `Idempotency-Key` header of `POST /tasks`: a client-chosen name for one submission, so a retry
/// after a timeout or a 503 returns the task stored the first time instead of storing it twice.
enum IdempotencyKey {
    static let headerName = HTTPField.Name("Idempotency-Key")!
    static let replayedHeaderName = HTTPField.Name("Idempotent-Replayed")!
    static let maximumLength = 255

    /// The key, nil when the header is absent; a key that is empty, too long or not printable ASCII is a 400.
    static func parse(_ fields: HTTPFields) throws(APIError) -> String? {
        guard let value = fields[headerName] else { return nil }
        let printable = value.utf8.allSatisfy { (0x20...0x7E).contains($0) }
        guard !value.isEmpty, value.utf8.count <= maximumLength, printable else {
            throw APIError(
                status: .badRequest, code: "invalid_idempotency_key",
                message: "The Idempotency-Key header must be 1 to \(maximumLength) printable ASCII characters.",
                details: ["field": "Idempotency-Key"]
            )
        }
        return value
    }

    static func reused(_ key: String) -> APIError {
        APIError(
            status: .conflict, code: "idempotency_key_reused",
            message: "Idempotency-Key \"\(key.prefix(64))\" was already used for a different submission (circuit, shots or seed differ); use a new key.",
            details: ["field": "Idempotency-Key"]
        )
    }
}
