// qtq-load: an HTTP/1.1 load generator for `scripts/bench queue`. Keep-alive connections, one thread each
// (blocking sockets: at a few thousand requests per second this costs little and cannot stall on a scheduler),
// either a burst of N requests as fast as the connections allow, or a fixed offered rate for a duration
// (open loop: latency counts from each request's scheduled time, so a slow server cannot hide its queueing).
//
//   qtq-load --port 8001 --connections 32 --requests 20000 --body-file bell.json
//   qtq-load --port 8001 --connections 32 --rate 1500 --duration 30 --body-file bell.json
//   qtq-load ... --ids-file accepted.txt    # also writes the task_id of every 202, one per line (for tests)
//
// Prints one JSON object: requests, statuses, latency percentiles (ms), wall time and throughput.
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var host = "127.0.0.1"
    var port = 8001
    var path = "/tasks"
    var connections = 32
    var requests: Int?
    var rate: Double?
    var duration: Double?
    var body = ""
    var idsFile: String?

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw LoadError("\(flag) needs a value") }
            switch flag {
            case "--host": host = value
            case "--port": port = try Self.number(value, flag)
            case "--path": path = value
            case "--connections": connections = try Self.number(value, flag)
            case "--requests": requests = try Self.number(value, flag)
            case "--rate": rate = Double(value)
            case "--duration": duration = Double(value)
            case "--body-file": body = try String(contentsOfFile: value, encoding: .utf8)
            case "--body": body = value
            case "--ids-file": idsFile = value
            default: throw LoadError("unknown option \(flag)")
            }
        }
        guard requests != nil || (rate != nil && duration != nil) else {
            throw LoadError("give --requests N (burst) or --rate R --duration S (fixed offered rate)")
        }
    }

    static func number(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw LoadError("\(flag) needs a positive integer") }
        return value
    }
}

struct LoadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What one connection saw.
struct ConnectionReport: Sendable {
    var latencies: [Double] = []  // seconds
    var statuses: [Int: Int] = [:]
    var failures = 0
    var firstSend: Double = .infinity
    var lastAnswer: Double = 0
    var acceptedIDs: [String] = []
}

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

final class Connection {
    let host: String
    let port: Int
    var socketFD: Int32 = -1
    var buffer = [UInt8](repeating: 0, count: 65536)
    var pending: [UInt8] = []

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    func open() -> Bool {
        close()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return false
        }
        socketFD = fd
        pending = []
        return true
    }

    func close() {
        if socketFD >= 0 { Glibc.close(socketFD) }
        socketFD = -1
    }

    /// Sends the request and reads one response; returns its status and body, or nil when the connection failed.
    /// The response is parsed as bytes: String and Foundation calls per header line were most of this program's CPU,
    /// which the server under test shares.
    func exchange(_ request: [UInt8]) -> (status: Int, body: ArraySlice<UInt8>)? {
        if socketFD < 0 && !open() { return nil }
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { send(socketFD, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { close(); return nil }
            sent += n
        }
        // Headers, then Content-Length bytes of body.
        var scanned = 0
        while true {
            if let end = headerEnd(from: scanned) {
                let head = Head(pending[..<end])
                let total = end + 4 + head.contentLength
                while pending.count < total {
                    guard fill() else { close(); return nil }
                }
                let body = pending[(end + 4)..<total]
                pending.removeSubrange(..<total)
                if head.closesConnection { close() }
                return (head.status, body)
            }
            scanned = max(0, pending.count - 3)
            guard fill() else { close(); return nil }
        }
    }

    private func headerEnd(from offset: Int) -> Int? {
        guard pending.count >= 4 else { return nil }
        return pending.withUnsafeBufferPointer { bytes in
            for index in offset...(bytes.count - 4)
            where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
                return index
            }
            return nil
        }
    }

    private func fill() -> Bool {
        let n = buffer.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress!, $0.count, 0) }
        guard n > 0 else { return false }
        pending.append(contentsOf: buffer[0..<n])
        return true
    }
}

/// What the load generator needs from a response head: status, Content-Length, and whether the server closes.
struct Head {
    var status = 0
    var contentLength = 0
    var closesConnection = false

    init(_ head: ArraySlice<UInt8>) {
        let lines = head.split(separator: 10, omittingEmptySubsequences: true).map { $0.last == 13 ? $0.dropLast() : $0 }
        guard let statusLine = lines.first else { return }
        // "HTTP/1.1 202 Accepted"
        if let space = statusLine.firstIndex(of: 32) {
            status = Self.integer(statusLine[(space + 1)...].prefix { $0 >= 48 && $0 <= 57 })
        }
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: 58) else { continue }
            let name = line[..<colon]
            let value = line[(colon + 1)...].drop { $0 == 32 || $0 == 9 }
            if Self.equalsIgnoringCase(name, "content-length") {
                contentLength = Self.integer(value.prefix { $0 >= 48 && $0 <= 57 })
            } else if Self.equalsIgnoringCase(name, "connection") {
                closesConnection = Self.equalsIgnoringCase(value.prefix { $0 != 32 && $0 != 9 }, "close")
            }
        }
    }

    static func integer(_ digits: ArraySlice<UInt8>) -> Int {
        digits.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    /// ASCII case-insensitive comparison with a lowercase literal.
    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for (offset, byte) in bytes.enumerated() {
            let folded: UInt8 = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if folded != expected[offset] { return false }
        }
        return true
    }
}

/// The value of `"task_id"` in a JSON answer (the API writes it as a plain string).
func taskID(in body: ArraySlice<UInt8>) -> String? {
    let text = String(decoding: body, as: UTF8.self)
    guard let key = text.range(of: "\"task_id\"") else { return nil }
    let rest = text[key.upperBound...].drop { $0 == ":" || $0 == " " }
    guard rest.first == "\"" else { return nil }
    return String(rest.dropFirst().prefix { $0 != "\"" })
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let index = min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[index]
}

func run(_ options: Options) -> String {
    let request = Array((
        "POST \(options.path) HTTP/1.1\r\nHost: \(options.host):\(options.port)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(options.body.utf8.count)\r\n\r\n" + options.body
    ).utf8)
    let issued = Atomic<Int>(0)
    let reports = Mutex<[ConnectionReport]>([])
    let start = now() + 0.05
    let done = DispatchGroup()
    for connectionIndex in 0..<options.connections {
        done.enter()
        let thread = Thread {
            var report = ConnectionReport()
            let connection = Connection(host: options.host, port: options.port)
            var sequence = 0
            while true {
                let scheduled: Double
                if let total = options.requests {
                    // Burst: take the next request number until all are taken.
                    guard issued.wrappingAdd(1, ordering: .relaxed).oldValue < total else { break }
                    scheduled = now()
                } else {
                    // Fixed rate: this connection's k-th request is due at start + (k * connections + index) / rate.
                    let rate = options.rate ?? 1
                    scheduled = start + Double(sequence * options.connections + connectionIndex) / rate
                    sequence += 1
                    guard scheduled < start + (options.duration ?? 0) else { break }
                    let wait = scheduled - now()
                    if wait > 0 { usleep(UInt32(wait * 1e6)) }
                }
                let sent = now()
                report.firstSend = min(report.firstSend, sent)
                if let (status, body) = connection.exchange(request) {
                    let answered = now()
                    if options.idsFile != nil && status == 202, let id = taskID(in: body) { report.acceptedIDs.append(id) }
                    report.lastAnswer = max(report.lastAnswer, answered)
                    report.latencies.append(answered - (options.requests == nil ? scheduled : sent))
                    report.statuses[status, default: 0] += 1
                } else {
                    report.failures += 1
                }
            }
            connection.close()
            reports.withLock { $0.append(report) }
            done.leave()
        }
        thread.start()
    }
    done.wait()
    let all = reports.withLock { $0 }
    if let path = options.idsFile {
        let lines = all.flatMap(\.acceptedIDs).joined(separator: "\n")
        _ = FileManager.default.createFile(atPath: path, contents: Data((lines.isEmpty ? "" : lines + "\n").utf8))
    }
    let latencies = all.flatMap(\.latencies).sorted()
    var statuses: [Int: Int] = [:]
    for report in all { for (status, count) in report.statuses { statuses[status, default: 0] += count } }
    let firstSend = all.map(\.firstSend).min() ?? 0
    let lastAnswer = all.map(\.lastAnswer).max() ?? 0
    let wall = max(lastAnswer - firstSend, 1e-9)
    let milliseconds = { (value: Double) in (value * 1e6).rounded() / 1e3 }
    let object: [String: Any] = [
        "requests": latencies.count + all.map(\.failures).reduce(0, +),
        "answered": latencies.count,
        "connection_failures": all.map(\.failures).reduce(0, +),
        "statuses": Dictionary(uniqueKeysWithValues: statuses.map { ("\($0.key)", $0.value) }),
        "latency_ms": [
            "p50": milliseconds(percentile(latencies, 0.50)), "p95": milliseconds(percentile(latencies, 0.95)),
            "p99": milliseconds(percentile(latencies, 0.99)), "max": milliseconds(latencies.last ?? 0),
        ],
        "first_send_epoch": firstSend,
        "last_answer_epoch": lastAnswer,
        "wall_seconds": wall,
        "answers_per_second": Double(latencies.count) / wall,
        "connections": options.connections,
        "offered_rate": options.rate ?? NSNull(),
    ]
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    print(run(options))
} catch {
    FileHandle.standardError.write(Data("qtq-load: \(error)\n".utf8))
    exit(64)
}
