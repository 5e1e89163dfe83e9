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

    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestSetupError("could not connect to port \(port)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
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
