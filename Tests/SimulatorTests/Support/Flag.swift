#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Synchronization

/// A boolean that threads set and poll (tests coordinate a run's hooks with the test body through it).
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .sequentiallyConsistent) }
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }

    /// Polls until set or until `timeout` passes; returns whether it was set.
    @discardableResult
    func wait(timeout: Duration = .seconds(30)) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !isSet && ContinuousClock.now < deadline { usleep(1000) }
        return isSet
    }
}
