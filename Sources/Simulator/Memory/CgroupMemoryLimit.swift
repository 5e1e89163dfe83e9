#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// The memory limit of the container (cgroup) the process runs in: a worker must budget against it, not the
/// host's RAM, or the kernel kills it long before the host runs short.
public enum CgroupMemoryLimit {
    /// Where cgroups are mounted on Linux.
    public static let defaultRoot = "/sys/fs/cgroup"

    /// v1 reports "no limit" as a huge number near `Int.max` (rounded down to a page); anything from here on is
    /// treated as unlimited.
    static let unlimitedV1Bytes = 1 << 60

    /// The limit under `root`: cgroup v2's `memory.max`, else v1's `memory/memory.limit_in_bytes`; `nil` when
    /// neither sets one.
    public static func limitBytes(root: String = defaultRoot) -> Int? {
        if let v2 = readSmallFile(root + "/memory.max") { return parseV2(v2) }
        if let v1 = readSmallFile(root + "/memory/memory.limit_in_bytes") { return parseV1(v1) }
        return nil
    }

    /// `memory.max` holds a byte count or `max` (no limit).
    public static func parseV2(_ contents: String) -> Int? {
        let text = trimmed(contents)
        guard text != "max", let bytes = Int(text), bytes > 0 else { return nil }
        return bytes
    }

    /// `memory.limit_in_bytes` holds a byte count; "no limit" is a value near `Int.max` (or -1 in some kernels).
    public static func parseV1(_ contents: String) -> Int? {
        guard let bytes = Int(trimmed(contents)), bytes > 0, bytes < unlimitedV1Bytes else { return nil }
        return bytes
    }

    private static func trimmed(_ contents: String) -> String {
        String(contents.filter { !$0.isWhitespace })
    }

    /// Reads a short pseudo-file (cgroup files report a size of 0 or 4096, so read until end of file).
    static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while bytes.count < 4096 {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
