import Hummingbird
import NIOCore

enum RequestBodyReader {
    /// The whole body, refusing more than `limit` bytes: up front when Content-Length says so, otherwise as soon as
    /// the stream passes the limit (chunked uploads). A body that cannot be read because its framing is broken (say,
    /// malformed chunked encoding) is the client's fault: 400, not 500.
    static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: limit)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw APIError.malformedBody
        }
    }
}
