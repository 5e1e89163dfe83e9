import Foundation

/// ISO 8601 UTC with microseconds and `Z`, the same shape TaskQueue's timestamps have.
enum Timestamp {
    static func string(from date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let since1970 = date.timeIntervalSince1970
        let wholeSeconds = since1970.rounded(.down)
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: wholeSeconds)
        )
        let micros = min(Int(((since1970 - wholeSeconds) * 1_000_000).rounded(.down)), 999_999)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
            parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, micros
        )
    }
}
