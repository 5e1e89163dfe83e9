import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle
import TaskQueue
import TaskWorker

struct Work: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a worker: claim tasks from PostgreSQL, simulate them, store the results."
    )

    @Option(help: "Tasks run at once (default: $QTQ_WORKER_CONCURRENCY, else the number of cores).")
    var concurrency: Int?

    @Option(help: "Worker id in the database and logs (default: $QTQ_WORKER_ID, else hostname-pid).")
    var workerId: String?

    func run() async throws {
        LogSetup.bootstrap(service: "worker")
        let logger = Logger(label: "qtq.worker")
        // Before anything is claimed: an engine built for newer CPUs would die of SIGILL on every task it took.
        // QTQ_CPUINFO_PATH: another /proc/cpuinfo, for testing this check.
        let missing = CPUFeatures.missing(present: CPUFeatures.present(cpuinfo: Environment.string("QTQ_CPUINFO_PATH") ?? "/proc/cpuinfo"))
        guard missing.isEmpty else {
            logger.critical("This CPU cannot run this build's simulator", metadata: [
                "missing_features": "\(missing.joined(separator: ","))", "required": "\(CPUFeatures.required.joined(separator: ","))",
            ])
            FileHandle.standardError.write(Data("error: this qtq was built for CPUs with \(CPUFeatures.required.joined(separator: ", ")); this CPU lacks \(missing.joined(separator: ", ")). Rebuild it with QTQ_TARGET_CPU=x86-64-v3 (or generic), or run the worker on a newer CPU.\n".utf8))
            throw ExitCode(70)
        }
        var configuration = WorkerConfiguration()
        do {
            if let id = workerId ?? Environment.string("QTQ_WORKER_ID") { configuration.workerID = id }
            if let count = try concurrency ?? Environment.int("QTQ_WORKER_CONCURRENCY") {
                guard count >= 1 else { throw ValidationError("The worker concurrency must be at least 1.") }
                configuration.concurrency = count
            }
            if let seconds = try Environment.double("QTQ_LEASE_SECONDS") {
                guard seconds >= 1 else { throw ValidationError("QTQ_LEASE_SECONDS must be at least 1.") }
                configuration.lease = .milliseconds(Int64(seconds * 1000))
            }
            if let seconds = try Environment.double("QTQ_MAX_LEASE_AGE_SECONDS") {
                guard seconds >= 1 else { throw ValidationError("QTQ_MAX_LEASE_AGE_SECONDS must be at least 1.") }
                configuration.maxLeaseAge = .milliseconds(Int64(seconds * 1000))
            }
            if let seconds = try Environment.double("QTQ_SHUTDOWN_GRACE_SECONDS") {
                configuration.shutdownGrace = .milliseconds(Int64(seconds * 1000))
            }
            if let milliseconds = try Environment.double("QTQ_INLINE_RUN_MILLISECONDS") {
                guard milliseconds >= 0 else { throw ValidationError("QTQ_INLINE_RUN_MILLISECONDS must be 0 (off) or more.") }
                configuration.inlineRunLimit = milliseconds == 0 ? nil : .microseconds(Int64(milliseconds * 1000))
            }
            if let seconds = try Environment.double("QTQ_POLL_INTERVAL_SECONDS"), seconds > 0 {
                configuration.pollInterval = .milliseconds(Int64(seconds * 1000))
            }

            // One budget for the whole process, shared by its slots (not per slot).
            if let bytes = try Environment.int("QTQ_MAX_STATE_BYTES") {
                guard bytes >= 64 else { throw ValidationError("QTQ_MAX_STATE_BYTES must be at least 64.") }
                configuration.simulator.memoryBudgetBytes = bytes
                configuration.compileOptions.maxQubits = WorkerConfiguration.qubitsFitting(bytes: bytes)
            }
            if let qubits = try Environment.int("QTQ_MAX_QUBITS") {
                guard qubits >= 1 else { throw ValidationError("QTQ_MAX_QUBITS must be at least 1.") }
                configuration.compileOptions.maxQubits = qubits
            }
            if let bits = try Environment.int("QTQ_MAX_CLASSICAL_BITS") {
                guard bits >= 1 else { throw ValidationError("QTQ_MAX_CLASSICAL_BITS must be at least 1.") }
                configuration.compileOptions.maxClassicalBits = bits
            }
            if let bytes = try Environment.int("QTQ_MAX_RESULT_BYTES") {
                guard bytes >= 1 else { throw ValidationError("QTQ_MAX_RESULT_BYTES must be at least 1.") }
                configuration.simulator.maxResultBytes = bytes
            }
            if let seconds = try Environment.double("QTQ_TASK_TIME_LIMIT_SECONDS") {
                guard seconds >= 0 else { throw ValidationError("QTQ_TASK_TIME_LIMIT_SECONDS must be 0 (no limit) or more.") }
                configuration.simulator.timeLimit = seconds == 0 ? nil : .milliseconds(Int64(seconds * 1000))
            }
            if let text = Environment.string("QTQ_RETENTION") {
                guard let retention = RetentionSetting.parse(text) else {
                    throw ValidationError("QTQ_RETENTION must be a duration such as 7d, 12h, 30m or 3600 (seconds), or 0 to keep tasks forever; got \"\(text)\".")
                }
                configuration.retention = retention
            }
            if let seconds = try Environment.double("QTQ_RETENTION_INTERVAL_SECONDS"), seconds > 0 {
                configuration.retentionInterval = .milliseconds(Int64(seconds * 1000))
            }
            if let threads = try Environment.int("QTQ_SIMULATOR_THREADS"), threads >= 1 {
                configuration.simulator.threads = threads
            }
        } catch let error as ValidationError {
            logger.error("Invalid configuration", metadata: ["error": "\(error)"])
            throw ExitCode(64)
        }
        let url = try Environment.databaseURL()
        // The server cancels a statement before the worker's own deadline (10 s): a claim that timed out here
        // was rolled back there, and cannot leave tasks processing under this worker unseen.
        let client = PostgresClient(
            configuration: url.clientConfiguration(statementTimeout: .seconds(9), maximumConnections: 6, sequentialScans: false),
            backgroundLogger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: client)]
        var metrics = WorkerMetrics.disabled
        if let port = try metricsPort() {
            let registry = PrometheusCollectorRegistry()
            metrics = WorkerMetrics(factory: PrometheusMetricsFactory(registry: registry))
            services.append(.init(service: WorkerMetricsServer.make(registry: registry, port: port, logger: logger)))
        }
        let worker = Worker(configuration: configuration, client: client, logger: logger, metrics: metrics)
        services.append(.init(service: worker))
        // Graceful shutdown visits services in reverse order: the worker drains before the client stops.
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger
            )
        )
        try await group.run()
    }

    /// `QTQ_METRICS_PORT`: where this worker serves `/metrics` (unset: nowhere; several workers on one host need
    /// different ports).
    private func metricsPort() throws -> Int? {
        guard let port = try Environment.int("QTQ_METRICS_PORT") else { return nil }
        guard (1...65535).contains(port) else { throw ValidationError("QTQ_METRICS_PORT must be a port number from 1 to 65535.") }
        return port
    }
}

/// `QTQ_RETENTION`: `7d`, `12h`, `30m`, `45s` or plain seconds; `0` keeps finished tasks forever (nil).
enum RetentionSetting {
    static func parse(_ text: String) -> Duration?? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var number = Substring(text.trimmingCharacters(in: .whitespaces))
        var scale = 1.0
        if let last = number.last, let unit = units[last] {
            scale = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        if value == 0 { return .some(nil) }
        return .some(.milliseconds(Int64(value * scale * 1000)))
    }
}
