/// Everything a `Simulator` keeps between runs: state memory, the worker threads and their chunk buffers.
final class EngineResources {
    let pool: BufferPool
    let threads: Int
    /// Qubits per cache-resident chunk: 2^16 amplitudes = 1 MiB of complex128, the size of one core's L2.
    let chunkQubits: Int
    /// States below this many qubits run on the calling thread: waking workers costs more than it saves.
    let parallelQubits: Int
    private var workerPool: WorkerPool?
    private var scratch: [StateBuffer] = []

    init(configuration: SimulatorConfiguration, chunkQubits: Int = 16, parallelQubits: Int = 18) {
        pool = BufferPool(budgetBytes: configuration.memoryBudgetBytes)
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

    /// Per-worker chunk buffers, each of `chunkQubits` qubits.
    func chunkBuffers(count: Int) -> [StateView] {
        while scratch.count < count { scratch.append(StateBuffer(capacityQubits: chunkQubits)) }
        return scratch.prefix(count).map { $0.view(qubits: chunkQubits) }
    }
}
