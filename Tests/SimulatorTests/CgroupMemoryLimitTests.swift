import Foundation
import Testing
@testable import Simulator

/// The container's memory limit, read from cgroup v2 or v1 files under a root of the test's own.
@Suite struct CgroupMemoryLimitTests {
    /// A temporary cgroup root holding `files` (path relative to the root → contents).
    static func root(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }

    @Test func v2LimitIsRead() throws {
        let root = try Self.root(["memory.max": "536870912\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(CgroupMemoryLimit.limitBytes(root: root.path) == 512 << 20)
    }

    @Test func v2WithoutALimitIsNoLimitEvenWhenV1FilesExist() throws {
        let root = try Self.root(["memory.max": "max\n", "memory/memory.limit_in_bytes": "1073741824\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(CgroupMemoryLimit.limitBytes(root: root.path) == nil)
    }

    @Test func v1LimitIsRead() throws {
        let root = try Self.root(["memory/memory.limit_in_bytes": "1073741824\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(CgroupMemoryLimit.limitBytes(root: root.path) == 1 << 30)
    }

    @Test func v1UnlimitedIsNoLimit() throws {
        let root = try Self.root(["memory/memory.limit_in_bytes": "9223372036854771712\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(CgroupMemoryLimit.limitBytes(root: root.path) == nil)
    }

    @Test func noCgroupFilesMeanNoLimit() throws {
        let root = try Self.root([:])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(CgroupMemoryLimit.limitBytes(root: root.path) == nil)
    }

    @Test(arguments: ["", "garbage", "0", "-1", "max", " max \n"])
    func malformedOrUnlimitedValuesAreNoLimit(_ contents: String) {
        #expect(CgroupMemoryLimit.parseV2(contents) == nil)
        #expect(CgroupMemoryLimit.parseV1(contents) == nil)
    }
}
