#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// The x86 instruction-set extensions this build's engine was compiled to use (Package.swift's `QTQ_TARGET_CPU`),
/// checked against the CPU at start-up: a worker on an older CPU must refuse to start with one clear line, not
/// claim tasks and die of SIGILL on each, burning their attempts.
public enum CPUFeatures {
    /// What the engine was compiled for.
    public static var required: [String] {
        var features: [String] = []
        #if QTQ_REQUIRES_AVX
        features.append("avx")
        #endif
        #if QTQ_REQUIRES_AVX2
        features.append("avx2")
        #endif
        #if QTQ_REQUIRES_FMA
        features.append("fma")
        #endif
        #if QTQ_REQUIRES_BMI2
        features.append("bmi2")
        #endif
        #if QTQ_REQUIRES_AVX512F
        features.append("avx512f")
        #endif
        return features
    }

    /// The CPU's feature flags (x86 Linux: /proc/cpuinfo's `flags`); nil where they cannot be read. Read here, not
    /// through Simulator's `LaneWidth` (which reads the same file): Simulator is compiled for the target CPU, and the
    /// check must not run code that needs what it checks for.
    public static func present(cpuinfo path: String = "/proc/cpuinfo") -> Set<String>? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("flags") else { continue }
            return Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
        }
        return nil
    }

    /// Required features this CPU lacks (empty: fine, or nothing to compare against).
    public static func missing(required: [String] = required, present: Set<String>? = present()) -> [String] {
        guard let present else { return [] }
        return required.filter { !present.contains($0) }
    }
}
