import Dispatch
@testable import TaskAPI
import Testing

@Suite struct DatabaseDeadlineTests {
    struct Boom: Error {}

    @Test func returnsTheValueWhenInTime() async throws {
        #expect(try await withDatabaseDeadline(.seconds(5)) { 42 } == 42)
    }

    @Test func passesErrorsThrough() async {
        await #expect(throws: Boom.self) { try await withDatabaseDeadline(.seconds(5)) { throw Boom() } }
    }

    @Test func answersUnavailableOnTimeEvenIfTheOperationIgnoresCancellation() async {
        let start = ContinuousClock.now
        await #expect(throws: APIError.databaseUnavailable) {
            try await withDatabaseDeadline(.milliseconds(100)) {
                // A wait that ignores cancellation: the caller must not wait for it.
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 6) { continuation.resume() }
                }
                return 1
            }
        }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func cancelsTheOperationAtTheDeadline() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self)
        await #expect(throws: APIError.databaseUnavailable) {
            try await withDatabaseDeadline(.milliseconds(50)) {
                let cancelled = (try? await Task.sleep(for: .seconds(30))) == nil
                continuation.yield(cancelled)
                return 0
            }
        }
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == true)
    }
}
