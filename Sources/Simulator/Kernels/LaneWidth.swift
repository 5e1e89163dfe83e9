#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// How the dense lane kernels hold their working set, chosen once per process from the CPU (as qsim's `simmux.h`
/// picks its AVX or AVX-512 simulator).
///
/// The gate tables and the state layout are the same either way (eight amplitudes per `Lane`); what differs is how
/// much of a group the hot kernels keep in registers. With AVX-512's 32 × 512-bit registers a whole 8-wide group
/// pair fits; with AVX2's 16 × 256-bit registers the same code spills to the stack on every coefficient, so those
/// kernels process each lane as two 4-wide halves instead (`QuadKernels`).
public enum LaneWidth: String, Sendable, Hashable {
    /// Eight amplitudes per instruction group: AVX-512 hosts.
    case eight
    /// Four amplitudes per instruction group: AVX2 hosts and anything else with 16 vector registers or fewer.
    case four

    /// The width this CPU runs best: eight where it has AVX-512F, else four.
    public static let detected: LaneWidth = cpuHasAVX512F() ? .eight : .four

    /// Reads the feature list the kernel reports (x86 "flags"); other architectures get the narrow kernels.
    private static func cpuHasAVX512F() -> Bool {
        #if arch(x86_64) && os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("flags") else { continue }
            return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).contains("avx512f")
        }
        return false
        #else
        return false
        #endif
    }
}
