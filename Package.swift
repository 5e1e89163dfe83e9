// swift-tools-version:6.2
import Foundation
import PackageDescription

// The CPU the engine is compiled for. `native` (the default: scripts/run, scripts/test, scripts/bench) uses
// everything the building machine has; an image that may run elsewhere names a baseline, e.g.
// QTQ_TARGET_CPU=x86-64-v3 (AVX2 + FMA; the Dockerfile's default) or `generic` on arm64.
let requestedCPU = ProcessInfo.processInfo.environment["QTQ_TARGET_CPU"].flatMap { $0.isEmpty ? nil : $0 } ?? "native"
// swiftc takes CPU names, not x86-64 micro-architecture levels: each level as its oldest CPU.
let targetCPU = ["x86-64-v3": "haswell", "x86-64-v4": "skylake-avx512", "x86-64-v2": "nehalem"][requestedCPU] ?? requestedCPU

// The x86 features that build needs, so a worker can refuse to start (one clear line) on a CPU without them
// instead of dying of SIGILL on its first task. For `native`, what the building machine has.
let requiredCPUFeatures: [String] = {
    let checked = ["avx", "avx2", "fma", "bmi2", "avx512f"]
    switch targetCPU {
    case "native":
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        let present = Set(flags.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
        return checked.filter(present.contains)
    case "x86-64-v3", "haswell": return ["avx", "avx2", "fma", "bmi2"]
    case "x86-64-v4", "skylake-avx512": return ["avx", "avx2", "fma", "bmi2", "avx512f"]
    default: return []
    }
}()
let cpuFeatureDefines: [SwiftSetting] = requiredCPUFeatures.map { .define("QTQ_REQUIRES_\($0.uppercased())") }

// One package, layered: QASM <- Simulator <- TaskWorker; TaskQueue <- TaskAPI, TaskWorker.
let package = Package(
    name: "qtq",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "qtq", targets: ["qtq"]),
        .executable(name: "qtq-bench", targets: ["qtq-bench"]),
        .executable(name: "qtq-load", targets: ["qtq-load"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .target(name: "QASM"),
        // Numeric kernels are 10-50x slower unoptimised: build the engine with -O even in debug builds,
        // so tests and local runs of the service stay fast.
        .target(
            name: "Simulator",
            dependencies: ["QASM"],
            swiftSettings: [
                // Kernels use fused multiply-add; the binary targets `targetCPU` (above).
                .define("SIMULATOR_FMA"),
                .unsafeFlags(["-target-cpu", targetCPU]),
                .unsafeFlags(["-O"], .when(configuration: .debug)),
            ]
        ),
        .target(
            name: "TaskQueue",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "TaskAPI",
            dependencies: [
                "TaskQueue",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Parses the hand-written OpenAPI YAML once, to serve it as JSON too.
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "TaskWorker",
            dependencies: [
                "TaskQueue", "QASM", "Simulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Compiled for any x86-64, so the start-up check itself cannot use what it checks for.
            swiftSettings: cpuFeatureDefines
        ),
        .executableTarget(
            name: "qtq",
            dependencies: [
                "QASM", "Simulator", "TaskQueue", "TaskAPI", "TaskWorker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // The HTTP client of `qtq submit/status/list/cancel`; only the executable needs it.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The simulator benchmark driver: depends on the engine only, so a release build takes seconds.
        .executableTarget(name: "qtq-bench", dependencies: ["QASM", "Simulator"]),
        // The HTTP load generator of `scripts/bench queue`: no dependencies, so it builds in seconds.
        .executableTarget(name: "qtq-load"),
        // Shared by the integration tests: throwaway databases on the server scripts/test starts, process helpers.
        .target(
            name: "TestSupport",
            dependencies: [
                "TaskQueue",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        // Shared by the front-end and engine tests: the Tests/Fixtures/circuits corpus and one exact reference simulator.
        .target(name: "CircuitTestSupport", dependencies: ["QASM"], path: "Tests/CircuitTestSupport"),
        .testTarget(name: "QASMTests", dependencies: ["QASM", "CircuitTestSupport"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "QASM", "CircuitTestSupport"]),
        .testTarget(
            name: "TaskQueueTests",
            dependencies: ["TaskQueue", "TestSupport", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .testTarget(
            name: "TaskAPITests",
            dependencies: [
                "TaskAPI", "TaskQueue", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // System tests: real qtq processes end to end (API, workers, CLI), restarts, outages, load, bad input.
        .testTarget(name: "SystemTests", dependencies: ["TaskWorker", "TaskQueue", "TestSupport", "QASM", "Simulator"]),
    ],
    swiftLanguageModes: [.v6]
)
