import Dispatch
@testable import TaskQueue
import Testing

/// `firstResult` bounds every TaskStore operation (and so every API request that waits on PostgreSQL).
@Suite struct DeadlineTests {
    @Test func returnsTheValueWhenInTime() async {
        #expect(await firstResult(within: .seconds(5), otherwise: 0) { 42 } == 42)
    }

    @Test func answersTheFallbackOnTimeEvenIfTheOperationIgnoresCancellation() async {
        let start = ContinuousClock.now
        let value = await firstResult(within: .milliseconds(100), otherwise: -1) {
            // A wait that ignores cancellation: the caller must not wait for it.
            await withCheckedContinuation { continuation in
                DispatchQueue.global().asyncAfter(deadline: .now() + 6) { continuation.resume() }
            }
            return 1
        }
        #expect(value == -1)
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func cancelsTheOperationAtTheDeadline() async {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self)
        let value = await firstResult(within: .milliseconds(50), otherwise: -1) {
            let cancelled = (try? await Task.sleep(for: .seconds(30))) == nil
            continuation.yield(cancelled)
            return 0
        }
        #expect(value == -1)
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == true)
    }
}
