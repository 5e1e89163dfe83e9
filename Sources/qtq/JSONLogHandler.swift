import Foundation
import Logging
import TaskQueue

/// One JSON object per line on stdout: `timestamp`, `level`, `message`, `service`, then metadata
/// (`correlation_id`, `task_id`, `worker_id`, ...) as top-level string fields.
struct JSONLogHandler: LogHandler {
    let service: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(service: String, level: Logger.Level) {
        self.service = service
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        // Later sources win: handler metadata, then the provider, then the call's own metadata. Most lines have no
        // overlap, so a list sorted by key (no dictionary) keeps this cheap; the API and workers log a line per
        // request and per task.
        var fields: [(key: String, value: String)] = [
            ("level", event.level.rawValue), ("message", event.message.description), ("service", service),
            ("timestamp", ISOTimestamp.now()),
        ]
        func add(_ source: Logger.Metadata?) {
            guard let source else { return }
            for (key, value) in source {
                let text = "\(value)"
                if let index = fields.firstIndex(where: { $0.key == key }) {
                    fields[index].value = text
                } else {
                    fields.append((key, text))
                }
            }
        }
        add(metadata)
        add(metadataProvider?.get())
        add(event.metadata)
        if let error = event.error { add(["error": "\(error)"]) }
        fields.sort { $0.key < $1.key }
        // Written by hand (not JSONSerialization), several times cheaper. One write(2) per line keeps lines whole
        // between threads.
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(UInt8(ascii: "{"))
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            Self.appendQuoted(field.key, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.appendQuoted(field.value, to: &line)
        }
        line.append(contentsOf: [UInt8(ascii: "}"), 0x0A])
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func appendQuoted(_ text: String, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                         hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }
}

enum LogSetup {
    /// Called once per process, before anything logs.
    static func bootstrap(service: String) {
        let level = ProcessInfo.processInfo.environment["QTQ_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { _ in JSONLogHandler(service: service, level: level) }
    }
}
