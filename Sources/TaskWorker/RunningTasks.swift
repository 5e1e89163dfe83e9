import Foundation
import Synchronization
import TaskQueue

/// The tasks this worker is running, with the flag that interrupts each one.
final class RunningTasks: Sendable {
    struct Entry: Sendable {
        var task: ClaimedTask
        var cancellation: CancellationFlag
    }

    private let entries = Mutex<[UUID: Entry]>([:])

    var count: Int { entries.withLock { $0.count } }
    var ids: [UUID] { entries.withLock { Array($0.keys) } }

    func insert(_ task: ClaimedTask) -> CancellationFlag {
        let flag = CancellationFlag()
        entries.withLock { $0[task.id] = Entry(task: task, cancellation: flag) }
        return flag
    }

    func remove(_ id: UUID) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// Interrupts the given tasks (lease lost) or all of them (grace period over).
    func cancel(_ ids: Set<UUID>? = nil) {
        entries.withLock { entries in
            for (id, entry) in entries where ids?.contains(id) ?? true {
                entry.cancellation.set()
            }
        }
    }
}
