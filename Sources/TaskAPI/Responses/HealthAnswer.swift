/// `GET /health` (all four fields) and `GET /livez` (status and timestamp only).
struct HealthAnswer: Encodable {
    var status: String
    var timestamp: String
    var databaseStatus: String?
    var queueStatus: String?

    private enum CodingKeys: String, CodingKey {
        case status, timestamp, databaseStatus = "database_status", queueStatus = "queue_status"
    }
}
