import TaskQueue

/// One entry of `status_history`.
struct StatusHistoryView: Encodable {
    var entry: StatusHistoryEntry

    init(_ entry: StatusHistoryEntry) { self.entry = entry }

    private enum Key: String, CodingKey { case status, transitionedAt = "transitioned_at", notes }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        try object.encode(entry.status, forKey: .status)
        try object.encode(entry.transitionedAt, forKey: .transitionedAt)
        try object.encode(entry.notes, forKey: .notes)
    }
}
