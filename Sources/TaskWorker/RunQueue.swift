import Dispatch
import Synchronization
import TaskQueue

/// Claimed tasks waiting for a free slot thread. Slot threads block in `next()`; the async side pushes
/// claims and, at shutdown, takes back what never started.
final class RunQueue: Sendable {
    private struct State {
        var tasks: [ClaimedTask] = []
        var head = 0
        var closed = false
        var count: Int { tasks.count - head }
    }

    private let state = Mutex(State())
    /// One permit per pushed task, plus one per thread at close. A permit may find nothing (the task was
    /// taken back): `next()` then waits again.
    private let available = DispatchSemaphore(value: 0)
    private let consumers: Int
    private let fullClaim = Atomic<Bool>(false)

    init(consumers: Int) {
        self.consumers = consumers
    }

    var count: Int { state.withLock { $0.count } }

    /// Whether the last claim got all it asked for, so more tasks may be waiting in the database.
    var lastClaimWasFull: Bool { fullClaim.load(ordering: .relaxed) }

    func push(_ tasks: [ClaimedTask], claimWasFull: Bool = false) {
        fullClaim.store(claimWasFull, ordering: .relaxed)
        guard !tasks.isEmpty else { return }
        state.withLock { $0.tasks.append(contentsOf: tasks) }
        for _ in tasks { available.signal() }
    }

    /// Blocks the calling thread until a task is queued; nil once closed. Only for slot threads.
    func next() -> ClaimedTask? {
        while true {
            available.wait()
            let (task, closed) = state.withLock { state -> (ClaimedTask?, Bool) in
                guard state.head < state.tasks.count else { return (nil, state.closed) }
                let task = state.tasks[state.head]
                state.head += 1
                // Compact now and then, so the array does not grow without bound.
                if state.head >= 1024 && state.head * 2 >= state.tasks.count {
                    state.tasks.removeFirst(state.head)
                    state.head = 0
                }
                return (task, false)
            }
            if let task { return task }
            if closed { return nil }
        }
    }

    /// Takes back every task no thread has started (graceful shutdown).
    func takeAll() -> [ClaimedTask] {
        state.withLock { state in
            let rest = Array(state.tasks[state.head...])
            state.tasks = []
            state.head = 0
            return rest
        }
    }

    /// Ends `next()` for every slot thread once the queue is empty.
    func close() {
        state.withLock { $0.closed = true }
        for _ in 0..<consumers { available.signal() }
    }
}
