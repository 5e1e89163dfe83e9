/// State memory owned by one `Simulator`: the working buffer is kept between runs (same or smaller sizes reuse
/// it) and spare buffers for shot branches are recycled; everything is counted against the memory budget.
final class BufferPool {
    let budgetBytes: Int
    /// Spares above this size are freed at the end of a run.
    let retainedBytes: Int
    private var spares: [StateBuffer] = []
    /// Buffers handed out and not yet returned.
    private(set) var liveBytes = 0
    /// Beyond the largest spare (the next run's working state), small spares are kept so repeated dynamic runs
    /// do not allocate; large ones are freed so an idle simulator holds one big state at most.
    private let keptSmallSpares = 3
    private let smallSpareQubits = 20

    init(budgetBytes: Int, retainedBytes: Int) {
        self.budgetBytes = budgetBytes
        self.retainedBytes = retainedBytes
    }

    func checkFits(qubits: Int) throws(SimulationError) {
        let bytes = StateBuffer.byteCount(qubits: qubits)
        if qubits >= 50 || bytes > budgetBytes {
            throw .stateTooLarge(qubits: qubits, bytes: qubits >= 50 ? Int.max : bytes, budgetBytes: budgetBytes)
        }
    }

    /// A buffer for `qubits`, or `nil` when one more would exceed the budget.
    func acquire(qubits: Int) -> StateBuffer? {
        let bytes = StateBuffer.byteCount(qubits: qubits)
        if let index = spares.firstIndex(where: { $0.capacityQubits >= qubits }) {
            let buffer = spares.remove(at: index)
            let held = StateBuffer.byteCount(qubits: buffer.capacityQubits)
            if liveBytes + held <= budgetBytes {
                liveBytes += held
                return buffer
            }
            spares.append(buffer)
        }
        // Drop spares too small to be useful before allocating, so their memory is not counted twice.
        spares.removeAll { $0.capacityQubits < qubits }
        guard liveBytes + sparesBytes + bytes <= budgetBytes, let buffer = StateBuffer(capacityQubits: qubits) else {
            return nil
        }
        liveBytes += bytes
        return buffer
    }

    func release(_ buffer: StateBuffer) {
        liveBytes -= StateBuffer.byteCount(qubits: buffer.capacityQubits)
        spares.append(buffer)
    }

    /// Called at the end of a run: keep the largest few spares (up to `retainedBytes` each) for the next one.
    func trim() {
        spares.removeAll { StateBuffer.byteCount(qubits: $0.capacityQubits) > retainedBytes }
        spares.sort { $0.capacityQubits > $1.capacityQubits }
        guard let largest = spares.first else { return }
        let small = spares.dropFirst().filter { $0.capacityQubits <= smallSpareQubits }.prefix(keptSmallSpares)
        spares = [largest] + small
    }

    /// Frees every spare (buffers in use stay).
    func releaseSpares() {
        spares.removeAll()
    }

    /// Memory kept between runs.
    var heldBytes: Int { sparesBytes }

    private var sparesBytes: Int { spares.reduce(0) { $0 + StateBuffer.byteCount(qubits: $1.capacityQubits) } }
}
