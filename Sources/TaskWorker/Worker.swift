import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import TaskQueue

/// The worker loop: wake on NOTIFY (or the fallback poll), claim what free slots allow, run each task
/// off the async runtime, record the outcome under the lease, and keep leases alive while running.
/// Graceful shutdown stops intake, lets running tasks finish within the grace period, then puts back
/// whatever is still running.
public struct Worker: Service {
    let configuration: WorkerConfiguration
    let store: TaskStore
    let executor: CircuitExecutor
    let logger: Logger

    public init(configuration: WorkerConfiguration, client: PostgresClient, logger: Logger) {
        self.configuration = configuration
        self.store = TaskStore(client: client, logger: logger)
        self.executor = CircuitExecutor(
            compileOptions: configuration.compileOptions,
            simulatorConfiguration: configuration.simulator
        )
        var logger = logger
        logger[metadataKey: "worker_id"] = "\(configuration.workerID)"
        self.logger = logger
    }

    public func run() async throws {
        let listener = NotificationListener(client: store.client, channel: QueueChannel.tasks, logger: logger)
        let running = RunningTasks()
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let stopping = Mutex(false)
        logger.info("Worker started", metadata: [
            "concurrency": "\(configuration.concurrency)", "lease_seconds": "\(configuration.lease)",
        ])

        await withDiscardingTaskGroup { group in
            // Sources of wake-ups: notifications and a fallback ticker.
            group.addTask { await listener.run() }
            group.addTask {
                for await _ in listener.notifications { wake.yield() }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: configuration.pollInterval)
                    wake.yield()
                }
            }
            group.addTask { await renewLeases(running) }

            await withGracefulShutdownHandler {
                var lastSweep = ContinuousClock.now - .seconds(3600)
                for await _ in wakeups {
                    if stopping.withLock({ $0 }) { break }
                    if ContinuousClock.now - lastSweep >= configuration.pollInterval {
                        lastSweep = .now
                        await sweepExpiredLeases()
                    }
                    await claimAndStart(running: running, wake: wake, group: &group)
                }
            } onGracefulShutdown: {
                stopping.withLock { $0 = true }
                wake.yield()
            }

            logger.info("Worker stopping: no new tasks; waiting for running ones", metadata: ["running": "\(running.count)"])
            await drain(running)
            group.cancelAll()
        }
        logger.info("Worker stopped")
    }

    private func claimAndStart(
        running: RunningTasks,
        wake: AsyncStream<Void>.Continuation,
        group: inout DiscardingTaskGroup
    ) async {
        // Claim again while a full batch came back: a burst of submissions needs no further wake-ups.
        while true {
            let free = configuration.concurrency - running.count
            guard free > 0 else { return }
            let claimed: [ClaimedTask]
            do {
                claimed = try await store.claim(workerID: configuration.workerID, limit: free, lease: configuration.lease)
            } catch {
                logger.warning("Could not claim tasks; will retry", metadata: ["error": "\(error)"])
                return
            }
            for task in claimed {
                let cancellation = running.insert(task)
                group.addTask {
                    await process(task, cancellation: cancellation)
                    running.remove(task.id)
                    wake.yield()
                }
            }
            if claimed.count < free { return }
        }
    }

    private func process(_ task: ClaimedTask, cancellation: CancellationFlag) async {
        var logger = self.logger
        logger[metadataKey: "task_id"] = "\(task.id.uuidString.lowercased())"
        if let correlationID = task.correlationID { logger[metadataKey: "correlation_id"] = "\(correlationID)" }
        logger.info("Task claimed", metadata: ["attempt": "\(task.attempt)", "shots": "\(task.shots)"])
        let started = ContinuousClock.now
        let outcome = await executor.execute(
            circuit: task.circuit, shots: task.shots, seed: task.seed, cancellation: cancellation
        )
        let elapsed = ContinuousClock.now - started
        await record(outcome, of: task, elapsed: elapsed, logger: logger)
    }

    /// Stores the outcome, retrying while the database is briefly away. If it stays away the lease
    /// expires and another worker runs the task again: nothing is lost.
    private func record(_ outcome: TaskOutcome, of task: ClaimedTask, elapsed: Duration, logger: Logger) async {
        let deadline = ContinuousClock.now + configuration.lease
        var delay = Duration.milliseconds(100)
        while true {
            do {
                let applied: Bool
                switch outcome {
                case .completed(let result):
                    applied = try await store.complete(task, workerID: configuration.workerID, result: result)
                    logger.info("Task completed", metadata: ["elapsed_ms": "\(milliseconds(elapsed))", "applied": "\(applied)"])
                case .failed(let failure):
                    applied = try await store.fail(task, workerID: configuration.workerID, failure: failure)
                    logger.info("Task failed", metadata: [
                        "elapsed_ms": "\(milliseconds(elapsed))", "error_type": "\(failure.type)",
                        "error": "\(failure.message)", "applied": "\(applied)",
                    ])
                case .interrupted:
                    applied = try await store.release(task, workerID: configuration.workerID, notes: "worker shutting down, requeued")
                    logger.info("Task put back in the queue", metadata: ["applied": "\(applied)"])
                }
                if !applied {
                    logger.warning("Outcome not recorded: this worker no longer holds the task's lease")
                }
                return
            } catch {
                guard ContinuousClock.now < deadline else {
                    logger.error("Giving up recording the outcome; the lease will expire and the task will be retried",
                                 metadata: ["error": "\(error)"])
                    return
                }
                logger.warning("Could not record the outcome; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }

    private func sweepExpiredLeases() async {
        do {
            let (requeued, failed) = try await store.requeueExpiredLeases()
            if requeued + failed > 0 {
                logger.warning("Expired leases swept", metadata: ["requeued": "\(requeued)", "failed": "\(failed)"])
            }
        } catch {
            logger.warning("Could not sweep expired leases", metadata: ["error": "\(error)"])
        }
    }

    /// Keeps the leases of running tasks alive; interrupts tasks whose lease was lost to a requeue.
    private func renewLeases(_ running: RunningTasks) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.leaseRenewalInterval)
            let ids = running.ids
            guard !ids.isEmpty else { continue }
            do {
                let kept = try await store.extendLeases(of: ids, workerID: configuration.workerID, lease: configuration.lease)
                let lost = Set(ids).subtracting(kept)
                if !lost.isEmpty {
                    logger.warning("Lost the lease of running tasks; stopping them", metadata: ["tasks": "\(lost.count)"])
                    running.cancel(lost)
                }
            } catch {
                logger.warning("Could not renew leases", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Waits for running tasks up to the grace period, then interrupts the rest (they are put back).
    private func drain(_ running: RunningTasks) async {
        let deadline = ContinuousClock.now + configuration.shutdownGrace
        while running.count > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if running.count > 0 {
            logger.warning("Grace period over; interrupting running tasks", metadata: ["running": "\(running.count)"])
            running.cancel()
            while running.count > 0 {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}

func milliseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
}
