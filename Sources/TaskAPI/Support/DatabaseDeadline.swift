import Synchronization

/// Bounds how long a request waits on PostgreSQL. PostgresNIO's pool queues a query until a connection
/// exists, indefinitely while the server is down; past the deadline the client gets 503
/// `database_unavailable` instead of a hung request, and the operation is cancelled (a submission still
/// waiting for a connection then never runs). The answer does not wait for the operation to notice.
func withDatabaseDeadline<T: Sendable>(
    _ timeout: Duration,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = DeadlineRace()
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let work = Task {
            let result: Result<T, any Error>
            do {
                result = .success(try await operation())
            } catch {
                result = .failure(error)
            }
            if race.finish() { continuation.resume(with: result) }
        }
        race.arm(Task {
            guard (try? await Task.sleep(for: timeout)) != nil, race.finish() else { return }
            work.cancel()
            continuation.resume(throwing: APIError.databaseUnavailable)
        })
    }
}

/// Who finished first; the winner also stops the other side's timer.
private final class DeadlineRace: Sendable {
    private let state = Mutex<(finished: Bool, timer: Task<Void, Never>?)>((false, nil))

    /// True for the first caller only.
    func finish() -> Bool {
        let (won, timer) = state.withLock { state -> (Bool, Task<Void, Never>?) in
            defer { state = (true, nil) }
            return (!state.finished, state.timer)
        }
        timer?.cancel()
        return won
    }

    func arm(_ timer: Task<Void, Never>) {
        let alreadyFinished = state.withLock { state -> Bool in
            if !state.finished { state.timer = timer }
            return state.finished
        }
        if alreadyFinished { timer.cancel() }
    }
}
