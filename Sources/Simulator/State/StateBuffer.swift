#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// One state vector's memory: real parts then imaginary parts (structure of arrays, so every kernel is
/// plain element-wise arithmetic the optimiser can vectorise), 64-byte aligned, reused across runs.
/// Untyped: a buffer that held a complex128 state of n qubits can hold a complex64 one of n + 1.
final class StateBuffer {
    /// Size of the memory (a power of two).
    let byteCount: Int
    private let storage: UnsafeMutableRawPointer
    /// The mapping to unmap (large buffers), or nil for heap memory.
    private let mapping: (base: UnsafeMutableRawPointer, length: Int)?

    /// Fails (nil) when the system cannot provide the memory.
    init?(byteCount bytes: Int) {
        byteCount = bytes
        if bytes >= Self.mappedBytes {
            // Large states: an anonymous mapping, 2 MiB aligned (so the kernel may back it with huge pages when it
            // has them). No MADV_HUGEPAGE: on this machine it made first touch stall in page compaction
            // (cold GHZ-28 4.6–10.5 s instead of a steady 3.5 s) for a 5–8 % gain on warm runs.
            let length = bytes + Self.hugePageBytes
            guard let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                  base != MAP_FAILED else { return nil }
            let aligned = (Int(bitPattern: base) + Self.hugePageBytes - 1) & ~(Self.hugePageBytes - 1)
            storage = UnsafeMutableRawPointer(bitPattern: aligned)!
            mapping = (base, length)
        } else {
            var raw: UnsafeMutableRawPointer?
            guard posix_memalign(&raw, 64, bytes) == 0, let raw else { return nil }
            storage = raw
            mapping = nil
        }
    }

    deinit {
        if let mapping { munmap(mapping.base, mapping.length) } else { free(storage) }
    }

    private static let hugePageBytes = 1 << 21
    /// Buffers from this size on are mapped directly (glibc would map them anyway, without the guarantees).
    private static let mappedBytes = 32 << 20

    /// A view holding |0…0⟩.
    func basisStateView<S: StateScalar>(qubits: Int, space: StateSpace, as _: S.Type = S.self) -> StateView<S> {
        let state: StateView<S> = view(qubits: qubits)
        space.setBasisState(state)
        return state
    }

    static func byteCount(qubits: Int, precision: Precision = .double) -> Int { precision.bytesPerAmplitude << qubits }

    /// Whether a state of `qubits` qubits in `precision` fits.
    func holds(qubits: Int, precision: Precision) -> Bool { Self.byteCount(qubits: qubits, precision: precision) <= byteCount }

    /// A view of the first `2^qubits` amplitudes as `S`; valid while this buffer is alive.
    func view<S: StateScalar>(qubits: Int, as _: S.Type = S.self) -> StateView<S> {
        let amplitudes = byteCount / (2 * MemoryLayout<S>.stride)
        precondition(1 << qubits <= amplitudes, "state larger than its buffer")
        let re = storage.bindMemory(to: S.self, capacity: 2 * amplitudes)
        return StateView(re: re, im: re + amplitudes, qubits: qubits)
    }
}

/// Unowned pointers to a state of `qubits` qubits: amplitude i is `re[i] + i·im[i]`,
/// i = Σ qubit_k·2^k. Trivially copyable so kernels and worker threads can share it.
struct StateView<S: StateScalar>: @unchecked Sendable {
    let re: UnsafeMutablePointer<S>
    let im: UnsafeMutablePointer<S>
    let qubits: Int

    var count: Int { 1 << qubits }
}

extension StateView {
    /// |amplitude i|² in double precision (sums over many amplitudes stay accurate in single precision too).
    @inline(__always)
    func probability(_ i: Int) -> Double {
        let r = Double(re[i]), m = Double(im[i])
        return r * r + m * m
    }
}
