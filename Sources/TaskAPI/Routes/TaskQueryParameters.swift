import Foundation
import Hummingbird
import HummingbirdCore
import TaskQueue

/// The query of `GET /tasks/{id}`: `wait=S` (0 < S ≤ 60) holds the answer until the task finishes or S seconds pass.
struct TaskReadQuery: Sendable, Equatable {
    static let maxWait = 60.0

    var wait: Duration?

    init(_ uri: URI) throws(APIError) {
        let parameters = uri.queryParameters
        try rejectUnknown(parameters, known: ["wait"])
        guard let text = parameters["wait"] else { return }
        guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= Self.maxWait else {
            throw .invalidParameter(
                "wait", "Query parameter wait must be a number of seconds above 0 and at most 60, like wait=30; got \"\(text.prefix(40))\"."
            )
        }
        wait = .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}

/// The query of `GET /tasks`: filters, page size, and where the page starts.
struct TaskListQuery: Sendable {
    static let defaultLimit = 50
    static let maxLimit = 1000

    var filter = TaskListFilter()

    init(_ uri: URI) throws(APIError) {
        let parameters = uri.queryParameters
        try rejectUnknown(parameters, known: ["status", "since", "until", "correlation_id", "limit", "cursor", "include"])
        if let text = parameters["status"] {
            var statuses: [TaskStatus] = []
            for name in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let status = TaskStatus(rawValue: String(name)) else {
                    let names = TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw .invalidParameter("status", "Query parameter status takes one or more of \(names), comma-separated; got \"\(name.prefix(40))\".")
                }
                if !statuses.contains(status) { statuses.append(status) }
            }
            filter.statuses = statuses
        }
        filter.since = try Self.instant(parameters["since"], name: "since")
        filter.until = try Self.instant(parameters["until"], name: "until")
        if let text = parameters["correlation_id"] {
            guard CorrelationID.isValid(String(text)) else {
                throw .invalidParameter("correlation_id", "Query parameter correlation_id must be 1 to 128 characters of A-Z a-z 0-9 . _ -.")
            }
            filter.correlationID = String(text)
        }
        filter.limit = Self.defaultLimit
        if let text = parameters["limit"] {
            guard let limit = Int(text), (1...Self.maxLimit).contains(limit) else {
                throw .invalidParameter("limit", "Query parameter limit must be a whole number from 1 to \(Self.maxLimit); got \"\(text.prefix(40))\".")
            }
            filter.limit = limit
        }
        if let text = parameters["cursor"] {
            guard let position = ListCursor.decode(String(text)) else {
                throw .invalidParameter("cursor", "Query parameter cursor is not one this API gave out; pass the next_cursor of the previous page unchanged.")
            }
            filter.after = position
        }
        if let text = parameters["include"] {
            guard text == "result" else {
                throw .invalidParameter("include", "Query parameter include takes only the value result; got \"\(text.prefix(40))\".")
            }
            filter.includeResult = true
        }
    }

    /// An ISO 8601 date-time (`2026-11-30T12:00:00Z`, fraction up to microseconds and offset optional) or a date
    /// (`2026-11-30`, UTC midnight), checked field by field here (Foundation's parser is lenient: it reads hour 25
    /// as the next day) so PostgreSQL never sees text it would refuse.
    private static func instant(_ text: Substring?, name: String) throws(APIError) -> String? {
        guard let text else { return nil }
        // A '+' in a query string often arrives as a space.
        let value = String(text).replacingOccurrences(of: " ", with: "+")
        guard let valid = Self.normalizedInstant(value) else {
            throw .invalidParameter(name, "Query parameter \(name) must be an ISO 8601 date-time such as 2026-11-30T12:00:00Z, or a date such as 2026-11-30; got \"\(text.prefix(40))\".")
        }
        return valid
    }

    static func normalizedInstant(_ value: String) -> String? {
        let pattern = /(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(Z|[+-]\d{2}:\d{2}))?/
        guard let match = value.wholeMatch(of: pattern),
              let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
              year >= 1, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        guard let hourText = match.4 else { return value + "T00:00:00Z" }
        guard let hour = Int(hourText), let minute = match.5.flatMap({ Int($0) }), let second = match.6.flatMap({ Int($0) }),
              hour < 24, minute < 60, second < 60 else { return nil }
        if let zone = match.7, zone != "Z" {
            guard let zoneHour = Int(zone.dropFirst().prefix(2)), let zoneMinute = Int(zone.suffix(2)),
                  zoneHour < 24, zoneMinute < 60 else { return nil }
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// `next_cursor`: the last task of a page, opaque to clients (base64url of its submitted_at and id).
enum ListCursor {
    static func encode(_ position: TaskListPosition) -> String {
        let text = position.submittedAt + "|" + position.id.lowercasedString
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> TaskListPosition? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard cursor.count <= 128, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            return nil
        }
        let parts = text.split(separator: "|")
        guard parts.count == 2, let id = UUID(uuidString: String(parts[1])), isTimestamp(parts[0]) else { return nil }
        return TaskListPosition(submittedAt: String(parts[0]), id: id)
    }

    /// `2026-11-30T12:00:00.123456Z`, exactly as the store renders timestamps.
    private static func isTimestamp(_ text: Substring) -> Bool {
        let pattern = Array("dddd-dd-ddTdd:dd:dd.ddddddZ".utf8)
        let bytes = Array(text.utf8)
        guard bytes.count == pattern.count else { return false }
        return zip(bytes, pattern).allSatisfy { byte, expected in
            expected == UInt8(ascii: "d") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == expected
        }
    }
}

/// A misspelt parameter (`?stauts=failed`) would otherwise be ignored and the answer silently wrong.
private func rejectUnknown(_ parameters: FlatDictionary<Substring, Substring>, known: Set<Substring>) throws(APIError) {
    for (name, _) in parameters where !known.contains(name) {
        let list = known.sorted().joined(separator: ", ")
        throw .invalidParameter(String(name.prefix(40)), "Unknown query parameter \"\(name.prefix(40))\"; this endpoint takes \(list).")
    }
}
