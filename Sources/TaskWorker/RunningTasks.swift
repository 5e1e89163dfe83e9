import Foundation
import Synchronization
import TaskQueue

/// Every attempt this worker holds, from claim until its outcome is committed (or given up): queued,
/// running, or finished and waiting to be recorded. Keyed by attempt, so the same task claimed again after a
/// requeue is tracked separately. Leases are renewed for all of them.
final class RunningTasks: Sendable {
    struct Entry: Sendable {
        var task: ClaimedTask
        var cancellation: CancellationFlag
    }

    private let entries = Mutex<[ClaimKey: Entry]>([:])

    var count: Int { entries.withLock { $0.count } }
    var keys: [ClaimKey] { entries.withLock { Array($0.keys) } }

    func insert(_ task: ClaimedTask) {
        entries.withLock { $0[task.key] = Entry(task: task, cancellation: CancellationFlag()) }
    }

    func entry(_ key: ClaimKey) -> Entry? {
        entries.withLock { $0[key] }
    }

    func remove(_ keys: some Sequence<ClaimKey>) {
        entries.withLock { entries in
            for key in keys { entries.removeValue(forKey: key) }
        }
    }

    /// Interrupts the given attempts (lease lost) or all of them (grace period over).
    func cancel(_ keys: Set<ClaimKey>? = nil) {
        entries.withLock { entries in
            for (key, entry) in entries where keys?.contains(key) ?? true {
                entry.cancellation.set()
            }
        }
    }
}
