import Synchronization

/// Runs `operation` in its own task and returns its value, or `fallback` when `timeout` passes first.
/// Unlike a task group this does not wait for a slow operation to notice cancellation: the caller
/// gets its answer on time, and the operation is cancelled and left to finish on its own.
func firstResult<T: Sendable>(
    within timeout: Duration,
    otherwise fallback: T,
    _ operation: @escaping @Sendable () async -> T
) async -> T {
    let resumed = OnceFlag()
    return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let timer = Mutex<Task<Void, Never>?>(nil)
        let work = Task {
            let value = await operation()
            if resumed.claim() {
                continuation.resume(returning: value)
                // Ends the timer's sleep now: thousands of operations a second would otherwise each leave a timer
                // pending for the whole timeout.
                timer.withLock { $0?.cancel() }
            }
        }
        let sleeper = Task {
            try? await Task.sleep(for: timeout)
            if resumed.claim() {
                work.cancel()
                continuation.resume(returning: fallback)
            }
        }
        timer.withLock { $0 = sleeper }
        if resumed.isClaimed { sleeper.cancel() }
    }
}

/// True for the first caller of `claim()` only.
final class OnceFlag: Sendable {
    private let claimed = Mutex(false)

    var isClaimed: Bool { claimed.withLock { $0 } }

    func claim() -> Bool {
        claimed.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
