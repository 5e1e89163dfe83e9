/// Everything a `Simulator` keeps between runs: state memory, the worker threads and their chunk buffers.
final class EngineResources {
    let pool: BufferPool
    let threads: Int
    /// Qubits per cache-resident chunk: 2^16 amplitudes = 1 MiB of complex128, the size of one core's L2.
    let chunkQubits: Int
    /// States below this many qubits run on the calling thread: waking workers costs more than it saves.
    let parallelQubits: Int
    /// States up to this size (2^17 amplitudes = 2 MiB) run as one chunk; larger ones are chunked, so workers
    /// share whole chunks (one hand-off per stage) instead of every gate (measured faster at 20 qubits).
    let wholeStateQubits: Int
    /// Amplitudes per block of whole-vector work (log2): fixed, so sums never depend on the thread count.
    let blockQubits: Int
    /// Largest state (qubits) sampled through a cumulative table.
    let tableQubits: Int
    /// Which form of the dense kernels runs.
    let laneWidth: LaneWidth
    /// Up to this state size, a stage whose chunks are contiguous blocks of the state works on them in place;
    /// beyond it, they are copied out like any other chunk (see `StagePlanner`).
    let inPlaceStateLimitBytes: Int
    private var workerPool: WorkerPool?
    private var scratch: [StateBuffer] = []

    init(
        configuration: SimulatorConfiguration, budget: MemoryBudget, chunkQubits: Int = 16, parallelQubits: Int = 18, wholeStateQubits: Int = 17,
        blockQubits: Int = 14, tableQubits: Int = 16, inPlaceStateLimitBytes: Int = EngineResources.defaultInPlaceStateLimitBytes
    ) {
        laneWidth = configuration.laneWidth
        self.inPlaceStateLimitBytes = inPlaceStateLimitBytes
        self.wholeStateQubits = wholeStateQubits
        self.blockQubits = blockQubits
        self.tableQubits = tableQubits
        pool = BufferPool(budget: budget, retainedBytes: configuration.retainedBufferBytes)
        threads = max(1, configuration.threads)
        self.chunkQubits = chunkQubits
        self.parallelQubits = parallelQubits
    }

    /// Workers for a state of `qubits` qubits (one when it is too small to split).
    func workers(forQubits qubits: Int) -> WorkerPool? {
        guard threads > 1, qubits >= parallelQubits else { return nil }
        if let workerPool { return workerPool }
        let created = WorkerPool(workers: threads)
        workerPool = created
        return created
    }

    /// Frees the kept state buffers (also those parked in a shared budget) and chunk buffers (the worker threads
    /// stay: they hold no state).
    func releaseMemory() {
        pool.releaseSpares()
        scratch.removeAll()
    }

    /// Chunk size for a state of `qubits` qubits.
    func chunkQubits(forQubits qubits: Int) -> Int {
        qubits <= wholeStateQubits ? qubits : chunkQubits
    }

    /// Per-worker chunk buffers of `qubits` qubits (a chunk grows past `chunkQubits` only for a wider gate);
    /// nil when the memory cannot be had.
    func chunkBuffers<S: StateScalar>(count: Int, qubits: Int) -> [StateView<S>]? {
        let bytes = StateBuffer.byteCount(qubits: qubits, precision: S.precision)
        scratch.removeAll { $0.byteCount < bytes }
        while scratch.count < count {
            guard let buffer = StateBuffer(byteCount: max(bytes, StateBuffer.byteCount(qubits: chunkQubits))) else { return nil }
            scratch.append(buffer)
        }
        return scratch.prefix(count).map { $0.view(qubits: qubits) }
    }

    /// Twice the last-level cache of this machine kind's CPUs (32 MiB per core complex; `sysconf` reports the
    /// whole package's 256 MiB, which no core can use): a larger state is read from memory by every stage anyway,
    /// so copying a contiguous chunk out costs only a copy within the caches.
    static let defaultInPlaceStateLimitBytes = 64 << 20
}
