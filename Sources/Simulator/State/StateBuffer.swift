#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// One state vector's memory: real parts then imaginary parts (structure of arrays, so every kernel is
/// plain element-wise arithmetic the optimiser can vectorise), 64-byte aligned, reused across runs.
final class StateBuffer {
    /// Largest state (in qubits) the memory can hold.
    let capacityQubits: Int
    private let storage: UnsafeMutableRawPointer

    /// Fails (nil) when the system cannot provide the memory.
    init?(capacityQubits: Int) {
        self.capacityQubits = capacityQubits
        let bytes = Self.byteCount(qubits: capacityQubits)
        // Large states: 2 MiB alignment and transparent huge pages, so first touch and every later pass do not
        // pay for hundreds of thousands of 4 KiB page faults and TLB misses.
        var raw: UnsafeMutableRawPointer?
        let alignment = bytes >= Self.hugePageBytes ? Self.hugePageBytes : 64
        guard posix_memalign(&raw, alignment, bytes) == 0, let raw else { return nil }
        #if os(Linux)
        if bytes >= Self.hugePageBytes { _ = madvise(raw, bytes, MADV_HUGEPAGE) }
        #endif
        storage = raw
    }

    deinit { free(storage) }

    private static let hugePageBytes = 1 << 21

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
}
