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

    /// Stops every held attempt of a task a user cancelled; returns whether this worker held one.
    @discardableResult
    func cancelByUser(taskID: UUID) -> Bool {
        entries.withLock { entries in
            var found = false
            for (key, entry) in entries where key.id == taskID {
                entry.cancellation.cancelByUser()
                found = true
            }
            return found
        }
    }

    /// Stops the given attempts, which users cancelled.
    func cancelByUser(_ keys: Set<ClaimKey>) {
        entries.withLock { entries in
            for key in keys { entries[key]?.cancellation.cancelByUser() }
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
