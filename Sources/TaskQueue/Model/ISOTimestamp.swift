#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// The one timestamp shape of qtq: ISO 8601 UTC with microseconds and `Z` (`2026-11-30T12:00:00.123456Z`), as
/// `TaskStore.iso` renders database timestamps, the API's health answers and every log line.
public enum ISOTimestamp {
    /// Now. Built from digits: String(format:) cost more than the rest of a log line.
    public static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return string(seconds: Int(time.tv_sec), microseconds: Int(time.tv_nsec / 1000))
    }

    /// Seconds since 1970 and the microseconds within the second.
    public static func string(seconds: Int, microseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var text: [UInt8] = []
        text.reserveCapacity(27)
        func digits(_ value: Int, _ count: Int) {
            let start = text.count
            text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
            var rest = value
            for index in stride(from: start + count - 1, through: start, by: -1) {
                text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4); text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2); text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2); text.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2); text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2); text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2); text.append(UInt8(ascii: "."))
        digits(microseconds, 6); text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }
}
