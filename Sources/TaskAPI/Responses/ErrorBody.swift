/// Every error answer: `{"error", "message", "correlation_id", "details"?}`.
struct ErrorBody: Encodable {
    var error: String
    var message: String
    var correlationID: String
    var details: JSONValue?

    private enum CodingKeys: String, CodingKey { case error, message, correlationID = "correlation_id", details }
}
