/// One state vector's memory: real parts then imaginary parts (structure of arrays, so every kernel is
/// plain element-wise arithmetic the optimiser can vectorise), 64-byte aligned, reused across runs.
final class StateBuffer {
    /// Largest state (in qubits) the memory can hold.
    let capacityQubits: Int
    private let storage: UnsafeMutableRawPointer

    init(capacityQubits: Int) {
        self.capacityQubits = capacityQubits
        let amplitudes = 1 << capacityQubits
        storage = UnsafeMutableRawPointer.allocate(byteCount: 2 * amplitudes * MemoryLayout<Double>.stride, alignment: 64)
    }

    deinit { storage.deallocate() }

    static func byteCount(qubits: Int) -> Int { 16 << qubits }

    /// A view of the first `2^qubits` amplitudes; valid while this buffer is alive.
    func view(qubits: Int) -> StateView {
        precondition(qubits <= capacityQubits, "state larger than its buffer")
        let amplitudes = 1 << capacityQubits
        let re = storage.bindMemory(to: Double.self, capacity: 2 * amplitudes)
        return StateView(re: re, im: re + amplitudes, qubits: qubits)
    }
}

/// Unowned pointers to a state of `qubits` qubits: amplitude i is `re[i] + i·im[i]`,
/// i = Σ qubit_k·2^k. Trivially copyable so kernels and worker threads can share it.
struct StateView: @unchecked Sendable {
    let re: UnsafeMutablePointer<Double>
    let im: UnsafeMutablePointer<Double>
    let qubits: Int

    var count: Int { 1 << qubits }

    func setBasisState(_ index: Int = 0) {
        re.update(repeating: 0, count: count)
        im.update(repeating: 0, count: count)
        re[index] = 1
    }

    func copy(from other: StateView) {
        precondition(other.qubits == qubits)
        re.update(from: other.re, count: count)
        im.update(from: other.im, count: count)
    }
}
