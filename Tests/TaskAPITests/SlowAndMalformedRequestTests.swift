import Foundation
import Hummingbird
import HummingbirdTesting
@testable import TaskAPI
import Testing
import TestSupport

/// Clients that send broken framing, over a raw socket to the real server.
@Suite struct SlowAndMalformedRequestTests {
    static func configuration() -> APIConfiguration { APIConfiguration() }

    @Test func malformedChunkedEncodingIs400() async throws {
        let database = try await TestDatabase.create()
        let answer = try await APITestServer.run(database: database.url, configuration: Self.configuration()) { client in
            try await RawSocket.exchange(
                port: try #require(client.port),
                "POST /tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                until: { $0.contains("\r\n\r\n{") && $0.hasSuffix("}") }
            )
        }
        #expect(answer.hasPrefix("HTTP/1.1 400"), "answer: \(answer)")
        #expect(!answer.contains(" 500 "))
    }

    /// Headers and one byte of a 100-byte body, then nothing: 408 with the error envelope, and the server closes
    /// the connection (the read returns because the server closed it, not because the test's deadline passed).
    @Test func aStalledBodyIsAnswered408AndTheConnectionClosed() async throws {
        let database = try await TestDatabase.create()
        var configuration = Self.configuration()
        configuration.requestBodyTimeout = .seconds(1)
        let (answer, elapsed, healthy) = try await APITestServer.run(database: database.url, configuration: configuration) { client in
            let started = ContinuousClock.now
            let answer = try await RawSocket.exchange(
                port: try #require(client.port),
                "POST /tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Correlation-ID: slow-1\r\nContent-Length: 100\r\n\r\n{",
                until: { _ in false }
            )
            let elapsed = ContinuousClock.now - started
            // The server still serves everyone else.
            let healthy = try await client.send(.post, "/tasks", body: #"{"qc": "x"}"#).status == .accepted
            return (answer, elapsed, healthy)
        }
        #expect(answer.hasPrefix("HTTP/1.1 408"), "answer: \(answer)")
        #expect(answer.lowercased().contains("connection: close"))
        #expect(answer.contains("x-correlation-id: slow-1") || answer.contains("X-Correlation-ID: slow-1"))
        #expect(answer.contains(#""error":"request_timeout""#))
        #expect(elapsed < .seconds(12), "the server did not close the connection: \(elapsed)")
        #expect(healthy)
    }

    /// A body that trickles in, each byte before the previous one would time out, is still cut off at the limit.
    @Test func aTricklingBodyIsCutOffAtTheLimitToo() async throws {
        let database = try await TestDatabase.create()
        var configuration = Self.configuration()
        configuration.requestBodyTimeout = .seconds(1)
        let answer = try await APITestServer.run(database: database.url, configuration: configuration) { client in
            try await RawSocket.trickle(
                port: try #require(client.port),
                head: "POST /tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
                byte: " ", every: .milliseconds(200), forAtMost: .seconds(8)
            )
        }
        #expect(answer.hasPrefix("HTTP/1.1 408"), "answer: \(answer)")
    }
}

/// A blocking TCP client for sending what well-behaved HTTP clients never send.
final class RawSocket {
    /// Connects, sends `request` and reads until `complete` says the answer is whole, the server closes, or 15 s pass,
    /// on a thread of its own: blocking reads on the async runtime's few threads would delay every other test.
    static func exchange(port: Int, _ request: String, until complete: @escaping @Sendable (String) -> Bool) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let socket = try RawSocket(port: port)
                    defer { socket.close() }
                    try socket.send(request)
                    return try socket.readUntilClosed(deadline: .now + .seconds(15), complete: complete)
                })
            }
        }
    }

    /// Sends `head`, then `byte` every `interval` until the server answers and closes, or `limit` passes.
    static func trickle(port: Int, head: String, byte: String, every interval: Duration, forAtMost limit: Duration) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let socket = try RawSocket(port: port)
                    defer { socket.close() }
                    try socket.send(head)
                    let deadline = ContinuousClock.now + limit
                    var received = ""
                    while ContinuousClock.now < deadline {
                        received += try socket.readUntilClosed(deadline: .now + interval)
                        if !received.isEmpty { break }
                        // The server may already have closed: a failed send ends the trickle too.
                        guard (try? socket.send(byte)) != nil else { break }
                    }
                    return received + (try socket.readUntilClosed(deadline: .now + .seconds(2)))
                })
            }
        }
    }

    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = try RawHTTP.connectLoopback(port: port)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.send(descriptor, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw TestSetupError("send failed")
        }
    }

    /// Everything the server sends until it closes the connection or the deadline passes.
    func readUntilClosed(deadline: ContinuousClock.Instant, complete: (String) -> Bool = { _ in false }) throws -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
                if complete(String(decoding: received, as: UTF8.self)) { break }
            } else if count == 0 {
                break
            }
            // count < 0: the 200 ms receive timeout; poll again until the deadline.
        }
        return String(decoding: received, as: UTF8.self)
    }

    func close() { Glibc.close(descriptor) }
}
