#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// How one `Simulator` may use the machine.
public struct SimulatorConfiguration: Sendable, Hashable {
    /// Worker threads for one large run; small states always run on the calling thread.
    public var threads: Int
    /// States (and branch copies) larger than this are refused before anything is allocated.
    public var memoryBudgetBytes: Int
    /// Longest one run may take; `nil` means no limit.
    public var timeLimit: Duration?
    /// Largest state buffer kept for the next run: a worker holds one `Simulator` per slot, so bigger states
    /// (over 1 GiB = 26 qubits by default) are freed when their run ends and allocated again when needed.
    public var retainedBufferBytes: Int

    public init() {
        self.threads = SimulatorConfiguration.activeCores
        self.memoryBudgetBytes = SimulatorConfiguration.physicalMemoryBytes / 2
        self.timeLimit = nil
        self.retainedBufferBytes = 1 << 30
    }

    public init(threads: Int, memoryBudgetBytes: Int? = nil, timeLimit: Duration? = nil) {
        self.init()
        self.threads = max(1, threads)
        if let memoryBudgetBytes { self.memoryBudgetBytes = memoryBudgetBytes }
        self.timeLimit = timeLimit
    }

    static var activeCores: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    static var physicalMemoryBytes: Int {
        let pages = Int(sysconf(Int32(_SC_PHYS_PAGES)))
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        // Fall back to 4 GiB when the platform does not say; the budget only has to be plausible.
        return pages > 0 && pageSize > 0 ? pages * pageSize : 4 << 30
    }
}
