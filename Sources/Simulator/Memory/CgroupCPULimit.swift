#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// The CPU quota of the container (cgroup) the process runs in, in whole cores (rounded up): a container given
/// 2 CPUs on a 64-core host should run 2 slots and 2 simulator threads, not 64.
public enum CgroupCPULimit {
    /// Cores under `root`: cgroup v2's `cpu.max` (`quota period` or `max period`), else v1's
    /// `cpu/cpu.cfs_quota_us` over `cpu/cpu.cfs_period_us`; nil when neither sets a quota.
    public static func cores(root: String = CgroupMemoryLimit.defaultRoot) -> Int? {
        if let v2 = CgroupMemoryLimit.readSmallFile(root + "/cpu.max") { return parseV2(v2) }
        if let quota = CgroupMemoryLimit.readSmallFile(root + "/cpu/cpu.cfs_quota_us"),
           let period = CgroupMemoryLimit.readSmallFile(root + "/cpu/cpu.cfs_period_us") {
            return cores(quota: quota, period: period)
        }
        return nil
    }

    public static func parseV2(_ contents: String) -> Int? {
        let fields = contents.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2 else { return nil }
        return cores(quota: String(fields[0]), period: String(fields[1]))
    }

    static func cores(quota: String, period: String) -> Int? {
        let quotaText = quota.filter { !$0.isWhitespace }
        guard quotaText != "max", let quota = Int(quotaText), quota > 0,
              let period = Int(period.filter { !$0.isWhitespace }), period > 0 else { return nil }
        return max(1, (quota + period - 1) / period)
    }
}
