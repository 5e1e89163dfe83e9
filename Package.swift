// swift-tools-version:6.2
import PackageDescription

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
                // Kernels use fused multiply-add; the binary targets the CPU that builds it (AVX2/AVX-512
                // where present). Build on (or for) the machine that runs the workers.
                .define("SIMULATOR_FMA"),
                .unsafeFlags(["-target-cpu", "native"]),
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
            ]
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
        .testTarget(name: "QASMTests", dependencies: ["QASM"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "QASM"]),
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
        .testTarget(name: "TaskWorkerTests", dependencies: ["TaskWorker", "TaskQueue", "TestSupport", "QASM", "Simulator"]),
    ],
    swiftLanguageModes: [.v6]
)
