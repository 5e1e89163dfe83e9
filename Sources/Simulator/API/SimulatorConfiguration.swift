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
    /// State memory for the whole process: the size of the `MemoryBudget` its simulators share (or of a
    /// simulator's own when it is given none). States larger than this are refused before anything is allocated.
    /// Default: half of the host's RAM or of the container's (cgroup) limit, whichever is smaller.
    public var memoryBudgetBytes: Int
    /// Largest result: distinct outcomes × key length, in bytes. A run whose counts would grow past it fails
    /// while they are built, before the memory is used (a key per outcome of a wide register adds up fast).
    public var maxResultBytes: Int = 8 << 20
    /// Longest one run may take; `nil` means no limit.
    public var timeLimit: Duration?
    /// Largest state buffer kept for the next run: a worker holds one `Simulator` per slot, so bigger states
    /// (over 1 GiB = 26 qubits by default) are freed when their run ends and allocated again when needed.
    public var retainedBufferBytes: Int
    /// Form of the dense kernels: the CPU's by default (`LaneWidth.detected`); both forms give the same results, so
    /// this is for benchmarks and tests of one form on the other kind of host.
    public var laneWidth: LaneWidth = .detected

    public init() {
        self.threads = SimulatorConfiguration.activeCores
        self.memoryBudgetBytes = SimulatorConfiguration.defaultMemoryBudgetBytes
        self.timeLimit = nil
        self.retainedBufferBytes = 1 << 30
    }

    public init(threads: Int, memoryBudgetBytes: Int? = nil, timeLimit: Duration? = nil) {
        self.init()
        self.threads = max(1, threads)
        if let memoryBudgetBytes { self.memoryBudgetBytes = memoryBudgetBytes }
        self.timeLimit = timeLimit
    }

    /// The most qubits whose complex128 state (16 bytes per amplitude) fits in `memoryBudgetBytes`.
    public var largestStateQubits: Int { Self.qubitsFitting(bytes: memoryBudgetBytes) }

    /// The most qubits whose state in `precision` fits in `memoryBudgetBytes` (single: one more than double).
    public func largestStateQubits(precision: Precision) -> Int {
        Self.qubitsFitting(bytes: memoryBudgetBytes, precision: precision)
    }

    /// The most qubits whose state in `precision` (complex128 by default) fits in `bytes` (at least 1, at most 48).
    public static func qubitsFitting(bytes: Int, precision: Precision = .double) -> Int {
        var qubits = 1
        while qubits < 48 && StateBuffer.byteCount(qubits: qubits + 1, precision: precision) <= bytes { qubits += 1 }
        return qubits
    }

    /// Half of the memory the process may use: the host's RAM, or the cgroup limit when that is smaller.
    public static var defaultMemoryBudgetBytes: Int {
        memoryBudget(physicalBytes: physicalMemoryBytes, cgroupLimitBytes: CgroupMemoryLimit.limitBytes())
    }

    /// Half (the rest is for the process itself, compiled programs, results and the sampler's tables).
    static func memoryBudget(physicalBytes: Int, cgroupLimitBytes: Int?) -> Int {
        min(physicalBytes, cgroupLimitBytes ?? .max) / 2
    }

    /// Online cores, or the container's CPU quota when that is smaller.
    public static var activeCores: Int {
        let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        return min(online, CgroupCPULimit.cores() ?? online)
    }

    static var physicalMemoryBytes: Int {
        let pages = Int(sysconf(Int32(_SC_PHYS_PAGES)))
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        // Fall back to 4 GiB when the platform does not say; the budget only has to be plausible.
        return pages > 0 && pageSize > 0 ? pages * pageSize : 4 << 30
    }
}
