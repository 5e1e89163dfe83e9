/// State memory one `Simulator` uses during a run: the working buffer and spare buffers for shot branches, each
/// reserved from the process's `MemoryBudget` before it is allocated. At the end of a run the buffers worth
/// keeping are parked in the budget for the next run (of this or another simulator).
final class BufferPool {
    let budget: MemoryBudget
    /// Spares above this size are freed at the end of a run.
    let retainedBytes: Int
    private var spares: [StateBuffer] = []
    /// Beyond the largest spare (the next run's working state), small spares are kept so repeated dynamic runs
    /// do not allocate; large ones are freed so an idle simulator holds one big state at most.
    private let keptSmallSpares = 3
    private let smallSpareBytes = StateBuffer.byteCount(qubits: 20)

    init(budget: MemoryBudget, retainedBytes: Int) {
        self.budget = budget
        self.retainedBytes = retainedBytes
    }

    deinit {
        for spare in spares { budget.release(spare.byteCount) }
    }

    var budgetBytes: Int { budget.totalBytes }

    /// Refuses states that could never fit, even with the whole budget to themselves.
    func checkFits(qubits: Int, precision: Precision) throws(SimulationError) {
        let bytes = StateBuffer.byteCount(qubits: min(qubits, 50), precision: precision)
        if qubits >= 50 || bytes > budgetBytes {
            throw .stateTooLarge(qubits: qubits, bytes: qubits >= 50 ? Int.max : bytes, budgetBytes: budgetBytes)
        }
    }

    /// The run's working state: waits while other runs of the process hold the memory (until the run's time
    /// limit or cancellation); throws when the system refuses the memory.
    func acquireWorking(qubits: Int, precision: Precision, limits: RunLimits) throws(SimulationError) -> StateBuffer {
        try checkFits(qubits: qubits, precision: precision)
        if let buffer = acquire(qubits: qubits, precision: precision) { return buffer }
        let bytes = StateBuffer.byteCount(qubits: qubits, precision: precision)
        try budget.reserve(bytes, limits: limits)
        guard let buffer = StateBuffer(byteCount: bytes) else {
            budget.release(bytes)
            throw .stateTooLarge(qubits: qubits, bytes: bytes, budgetBytes: budgetBytes)
        }
        return buffer
    }

    /// A buffer for `qubits` without waiting, or `nil` when the budget has no room now (a branch then replays).
    func acquire(qubits: Int, precision: Precision) -> StateBuffer? {
        let bytes = StateBuffer.byteCount(qubits: qubits, precision: precision)
        if let index = spares.firstIndex(where: { $0.byteCount >= bytes }) {
            return spares.remove(at: index)
        }
        if let parked = budget.unpark(bytes: bytes) { return parked }
        // Drop spares too small to be useful before allocating, so their memory is not counted twice (and an
        // idle process keeps one big state at most).
        dropSpares { $0.byteCount < bytes }
        budget.freeParked(smallerThan: bytes)
        guard budget.tryReserve(bytes) else { return nil }
        guard let buffer = StateBuffer(byteCount: bytes) else {
            budget.release(bytes)
            return nil
        }
        return buffer
    }

    func release(_ buffer: StateBuffer) {
        spares.append(buffer)
    }

    /// Called at the end of a run: park the largest few spares (up to `retainedBytes` each) for the next run and
    /// free the rest.
    func trim() {
        dropSpares { $0.byteCount > retainedBytes }
        spares.sort { $0.byteCount > $1.byteCount }
        let small = spares.dropFirst().filter { $0.byteCount <= smallSpareBytes }.prefix(keptSmallSpares)
        let kept = Set((spares.prefix(1) + small).map(ObjectIdentifier.init))
        dropSpares { !kept.contains(ObjectIdentifier($0)) }
        for spare in spares { budget.park(spare) }
        spares.removeAll()
    }

    /// Frees every spare and every buffer parked in the budget (buffers in use stay).
    func releaseSpares() {
        dropSpares { _ in true }
        budget.freeParked()
    }

    /// Memory kept between runs (spares and the budget's parked buffers).
    var heldBytes: Int {
        spares.reduce(0) { $0 + $1.byteCount } + budget.parkedBytes
    }

    /// Frees the matching spares, then gives their bytes back to the budget (never before the memory is gone).
    private func dropSpares(where shouldDrop: (StateBuffer) -> Bool) {
        var bytes = 0
        spares.removeAll { spare in
            guard shouldDrop(spare) else { return false }
            bytes += spare.byteCount
            return true
        }
        budget.release(bytes)
    }
}
