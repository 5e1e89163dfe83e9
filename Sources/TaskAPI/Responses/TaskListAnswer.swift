/// The `GET /tasks` answer: one page, and the cursor of the next (`null` on the last page).
struct TaskListAnswer: Encodable {
    var tasks: [TaskSummaryView]
    var nextCursor: String?
    var correlationID: String

    private enum CodingKeys: String, CodingKey { case tasks, nextCursor = "next_cursor", correlationID = "correlation_id" }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(tasks, forKey: .tasks)
        try object.encode(nextCursor, forKey: .nextCursor)
        try object.encode(correlationID, forKey: .correlationID)
    }
}
