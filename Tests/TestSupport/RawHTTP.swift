import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a server sent back on a raw connection.
public struct RawHTTPResponse: Sendable {
    public var text: String
    /// The status code of the first response line, nil when the server sent nothing parseable.
    public var status: Int? {
        let parts = text.prefix { $0 != "\r" && $0 != "\n" }.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
        return Int(parts[1])
    }
    public var body: String {
        guard let range = text.range(of: "\r\n\r\n") else { return "" }
        return String(text[range.upperBound...])
    }
    /// The body as a JSON object (the error envelope, a task), if it is one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// Sends bytes no well-behaved HTTP client would send, over a plain TCP socket, on a thread of its own (blocking
/// reads must not occupy the async runtime's few threads).
public enum RawHTTP {
    /// Connects, sends `bytes`, optionally closes the sending half (so the server sees the end of the stream), and
    /// reads until the server closes the connection or `timeout` passes.
    public static func exchange(
        port: Int, _ bytes: [UInt8], closeSendingHalf: Bool = false, timeout: Duration = .seconds(15)
    ) async throws -> RawHTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try blockingExchange(port: port, bytes, closeSendingHalf: closeSendingHalf, timeout: timeout) })
            }
        }
    }

    private static func blockingExchange(port: Int, _ bytes: [UInt8], closeSendingHalf: Bool, timeout: Duration) throws -> RawHTTPResponse {
        let descriptor = try connectLoopback(port: port)
        defer { close(descriptor) }
        // The server may answer (413, 400) and close before reading everything: a failed send is not an error here.
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { break }
            offset += sent
        }
        if closeSendingHalf { shutdown(descriptor, Int32(SHUT_WR)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                break  // closed by the server (or reset)
            }
        }
        return RawHTTPResponse(text: String(decoding: received, as: UTF8.self))
    }

    /// A blocking TCP socket connected to `port` on 127.0.0.1, whose reads give up after 200 ms (callers poll them
    /// against their own deadline). The caller closes it.
    public static func connectLoopback(port: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSetupError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw TestSetupError("could not connect to port \(port)")
        }
        var receiveTimeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &receiveTimeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    /// A request with `Content-Length` set to the body's size (unless given) and `Connection: close`.
    public static func request(
        _ method: String, _ target: String, body: [UInt8]? = nil, headers: [(String, String)] = [],
        contentLength: String? = nil
    ) -> [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body {
            if !headers.contains(where: { $0.0.lowercased() == "content-type" }) { head += "Content-Type: application/json\r\n" }
            head += "Content-Length: \(contentLength ?? String(body.count))\r\n"
        }
        return Array((head + "\r\n").utf8) + (body ?? [])
    }
}
