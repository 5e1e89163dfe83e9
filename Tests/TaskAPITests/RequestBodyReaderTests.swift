import HTTPTypes
import Hummingbird
import NIOCore
@testable import TaskAPI
import Testing

/// The size limit on bodies that arrive without a Content-Length (chunked uploads).
@Suite struct RequestBodyReaderTests {
    private func request(chunks: [String], contentLength: Int? = nil) -> Request {
        var head = HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/tasks")
        if let contentLength { head.headerFields[.contentLength] = String(contentLength) }
        let stream = AsyncStream<ByteBuffer> { continuation in
            for chunk in chunks { continuation.yield(ByteBuffer(string: chunk)) }
            continuation.finish()
        }
        return Request(head: head, body: RequestBody(asyncSequence: stream))
    }

    @Test func collectsChunksUpToTheLimit() async throws {
        let bytes = try await RequestBodyReader.collect(request(chunks: ["{\"qc\":", " \"x\"}"]), limit: 12)
        #expect(String(decoding: bytes, as: UTF8.self) == "{\"qc\": \"x\"}")
    }

    @Test func refusesAStreamThatPassesTheLimit() async {
        await #expect(throws: APIError.payloadTooLarge(limit: 10)) {
            try await RequestBodyReader.collect(request(chunks: ["123456", "78901"]), limit: 10)
        }
    }

    @Test func refusesADeclaredLengthOverTheLimitWithoutReading() async {
        await #expect(throws: APIError.payloadTooLarge(limit: 10)) {
            try await RequestBodyReader.collect(request(chunks: [], contentLength: 11), limit: 10)
        }
    }
}
