import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import TaskQueue

/// The worker loop. A claimer keeps a local queue of claimed tasks topped up (batched claims: as many as the
/// slots will run soon), slot threads run them, and a committer records their outcomes in batches (one
/// transaction and one notification per batch). Every claimed attempt keeps its lease renewed until its
/// outcome is committed. Graceful shutdown stops intake, puts back what never started, lets running tasks
/// finish within the grace period, then interrupts and puts back the rest.
public struct Worker: Service {
    let configuration: WorkerConfiguration
    let store: TaskStore
    let logger: Logger
    let metrics: WorkerMetrics
    /// Runs small tasks inside their claim's transaction; nil when `configuration.inlineRunLimit` is nil.
    let inline: InlineRunner?

    public init(configuration: WorkerConfiguration, client: PostgresClient, logger: Logger, metrics: WorkerMetrics = .disabled) {
        self.configuration = configuration
        self.metrics = metrics
        self.store = TaskStore(client: client, logger: logger)
        inline = configuration.inlineRunLimit.map {
            InlineRunner(
                compileOptions: configuration.compileOptions, simulator: configuration.simulator, taskLimit: $0,
                batchBudget: configuration.inlineBatchBudget
            )
        }
        var logger = logger
        logger[metadataKey: "worker_id"] = "\(configuration.workerID)"
        self.logger = logger
    }

    public func run() async throws {
        let listener = NotificationListener(client: store.client, channel: QueueChannel.tasks, logger: logger)
        let running = RunningTasks()
        let queue = RunQueue(consumers: configuration.concurrency)
        let outcomes = OutcomeBuffer()
        let contact = DatabaseContact()
        // Wake-ups coalesce: a burst of notifications while a claim runs causes one more claim, not one each.
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let reasons = WakeReasons()
        let (committerEnded, endCommitter) = AsyncStream.makeStream(of: Void.self)
        let slots = SlotThreads(
            queue: queue, running: running, outcomes: outcomes, compileOptions: configuration.compileOptions,
            simulatorConfiguration: configuration.simulator, metrics: metrics, proven: inline?.proven,
            taskFinished: { [configuration] in
                // Top up only when the last claim was full (more may be waiting); otherwise new work announces
                // itself with a notification, and an idle queue costs no claim query per finished task.
                if queue.count <= configuration.concurrency && queue.lastClaimWasFull {
                    reasons.other()
                    wake.yield()
                }
            }
        )
        let stopping = Mutex(false)
        logger.info("Worker started", metadata: [
            "concurrency": "\(configuration.concurrency)", "lease_seconds": "\(configuration.lease)",
        ])
        slots.start(count: configuration.concurrency)

        await withDiscardingTaskGroup { group in
            group.addTask { await listener.run() }
            group.addTask {
                for await payload in listener.notifications {
                    if let cancelled = QueueChannel.cancelledTask(inPayload: payload) {
                        // Someone cancelled a running task; whoever holds it stops it now.
                        if running.cancelByUser(taskID: cancelled) {
                            logger.info("Task cancelled by request; stopping it", metadata: ["task_id": "\(cancelled)"])
                        }
                    } else {
                        reasons.notified()
                        wake.yield()
                    }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: configuration.pollInterval)
                    reasons.other()
                    wake.yield()
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    // After a failure, try again soon: the first renewal after an outage must beat other sweepers.
                    let renewed = await renewLeases(running, contact: contact)
                    try? await Task.sleep(for: renewed ? configuration.leaseRenewalInterval : .milliseconds(250))
                }
            }
            if let retention = configuration.retention {
                group.addTask {
                    while !Task.isCancelled && !Task.isShuttingDownGracefully {
                        await deleteOldTasks(olderThan: retention)
                        try? await Task.sleep(for: configuration.retentionInterval)
                    }
                }
            }
            group.addTask {
                await commitOutcomes(from: outcomes, running: running, contact: contact)
                endCommitter.finish()
            }

            await withGracefulShutdownHandler {
                var lastSweep = ContinuousClock.now - .seconds(3600)
                var pacer = ClaimPacer()
                for await _ in wakeups {
                    if stopping.withLock({ $0 }) { break }
                    if ContinuousClock.now - lastSweep >= configuration.pollInterval {
                        lastSweep = .now
                        // Own leases first: after an outage, this worker's live tasks must not look abandoned. And
                        // no sweeping until the database has answered for a while: other live workers need that
                        // long to renew theirs.
                        if await renewLeases(running, contact: contact), contact.steady(minimum: configuration.sweepHoldOff) {
                            await sweepExpiredLeases(contact: contact)
                        }
                    }
                    guard reasons.takeClaimIsWorthwhile() else { continue }
                    let holdBack = pacer.delay(at: .now)
                    if holdBack > .zero { try? await Task.sleep(for: holdBack) }
                    await claim(into: queue, running: running, slots: slots, contact: contact, pacer: &pacer, reasons: reasons)
                }
            } onGracefulShutdown: {
                stopping.withLock { $0 = true }
                wake.yield()
            }

            logger.info("Worker stopping: no new tasks; waiting for running ones", metadata: ["held": "\(running.count)"])
            await putBackUnstarted(queue, running: running)
            await drain(running, contact: contact)
            queue.close()
            outcomes.close()
            for await _ in committerEnded {}
            group.cancelAll()
        }
        logger.info("Worker stopped")
    }

    // MARK: Claiming

    /// How many claimed tasks this worker keeps queued: enough for every slot, plus enough short tasks to keep
    /// the slots busy for about `prefetchTime` (a Bell circuit takes microseconds; one claim per task would
    /// make the database the bottleneck). Slow tasks are not claimed ahead: another worker may be idle.
    private func queueTarget(slots: SlotThreads) -> Int {
        guard let average = slots.averageRunTime else { return configuration.concurrency }
        let ahead = Int(configuration.prefetchTime / average) * configuration.concurrency
        return configuration.concurrency + min(max(ahead, 0), configuration.maxPrefetch)
    }

    private func claim(
        into queue: RunQueue, running: RunningTasks, slots: SlotThreads, contact: DatabaseContact,
        pacer: inout ClaimPacer, reasons: WakeReasons
    ) async {
        // Claim again while full batches come back: a burst needs no further wake-ups.
        while !Task.isShuttingDownGracefully {
            let queued = queue.count
            let busy = slots.busyThreads
            let target = queueTarget(slots: slots)
            let limit = min(target - queued - busy, configuration.maxClaimBatch)
            // Top up when the queue is half empty, or at once when a slot is idle.
            guard limit > 0, queued <= target / 2 || busy + queued < configuration.concurrency else { return }
            let claimed: [ClaimedTask]
            let finishedInline: [ReportedOutcome]
            do {
                let started = ContinuousClock.now
                reasons.claimSent(at: started)
                (claimed, finishedInline) = try await claim(limit: limit)
                let now = ContinuousClock.now
                contact.succeeded(after: now - started)
                pacer.recordClaim(tasks: claimed.count, at: now)
            } catch {
                contact.failed()
                logger.warning("Could not claim tasks; will retry", metadata: ["error": "\(error)"])
                // The claim may have committed although its answer never came: give back what is not ours to run.
                if let released = try? await store.releaseUnknown(workerID: configuration.workerID, keeping: running.keys),
                   released > 0 {
                    logger.warning("Claims this worker never received were put back", metadata: ["tasks": "\(released)"])
                }
                return
            }
            metrics.claimed.increment(by: Int64(claimed.count))
            (claimed.isEmpty ? metrics.emptyClaims : metrics.claimsWithTasks).increment()
            for reported in finishedInline {
                slots.record(reported.elapsed)
                metrics.runTime.recordNanoseconds(reported.elapsed.nanoseconds)
                log(reported, applied: true)
                metrics.recordFinished(reported.outcome.kind)
            }
            let finishedKeys = Set(finishedInline.map(\.task.key))
            let toRun = claimed.filter { !finishedKeys.contains($0.key) }
            for task in claimed {
                metrics.queueWait.recordNanoseconds(task.queueWait.nanoseconds)
                if task.attempt > 1 { metrics.retries.increment() }
                if logger.logLevel <= .debug {
                    logger.debug("Task claimed", metadata: taskMetadata(task, ["attempt": "\(task.attempt)"]))
                }
            }
            for task in toRun { running.insert(task) }
            queue.push(toRun, claimWasFull: claimed.count == limit)
            if claimed.count < limit { return }
        }
    }

    /// Claims up to `limit` tasks. With inline running on, the small ones also run and have their outcomes committed
    /// in the claim's own transaction; the rest (returned in `claimed` but not in `finished`) are for the slots.
    private func claim(limit: Int) async throws(TaskQueueError) -> (claimed: [ClaimedTask], finished: [ReportedOutcome]) {
        guard let inline else {
            return (try await store.claim(workerID: configuration.workerID, limit: limit, lease: configuration.lease), [])
        }
        let reports = Mutex<[ReportedOutcome]>([])
        let claim = try await store.claim(workerID: configuration.workerID, limit: limit, lease: configuration.lease) { tasks in
            let finished = inline.run(tasks)
            reports.withLock { $0 = finished }
            return finished.map { FinishedAttempt(key: $0.task.key, outcome: Self.attemptOutcome($0.outcome)) }
        }
        // Every inline outcome is applied: the claim's own transaction holds those rows.
        let finished = reports.withLock { $0 }.filter { claim.finished.contains($0.task.key) }
        return (claim.claimed, finished)
    }

    // MARK: Recording outcomes

    private func commitOutcomes(from outcomes: OutcomeBuffer, running: RunningTasks, contact: DatabaseContact) async {
        while let batch = await outcomes.next(limit: configuration.maxCommitBatch) {
            await commit(batch, running: running, contact: contact)
        }
    }

    /// Records a batch, retrying for as long as the database is away (a finished result is worth keeping: until a
    /// sweeper takes the task back, which needs the database, the attempt is still this worker's, and the guard
    /// in the statement tells if it was lost). A batch the database refuses for another reason is retried one
    /// outcome at a time, so one bad row cannot hold back the others.
    private func commit(_ batch: [ReportedOutcome], running: RunningTasks, contact: DatabaseContact) async {
        let attempts = batch.map { FinishedAttempt(key: $0.task.key, outcome: Self.attemptOutcome($0.outcome)) }
        var delay = Duration.milliseconds(50)
        while true {
            do {
                let applied = try await store.finish(attempts, workerID: configuration.workerID)
                for reported in batch {
                    let wasApplied = applied.contains(reported.task.key)
                    log(reported, applied: wasApplied)
                    if wasApplied { metrics.recordFinished(reported.outcome.kind) }
                }
                running.remove(batch.map(\.task.key))
                return
            } catch {
                if error.kind != .unavailable && batch.count > 1 {
                    for reported in batch { await commit([reported], running: running, contact: contact) }
                    return
                }
                contact.failed()
                guard error.kind == .unavailable, !contact.isAbandoningRetries else {
                    logger.error("Giving up recording outcomes; their leases will expire and the tasks will be retried",
                                 metadata: ["tasks": "\(batch.count)", "error": "\(error)"])
                    running.remove(batch.map(\.task.key))
                    return
                }
                logger.warning("Could not record outcomes; retrying", metadata: ["tasks": "\(batch.count)", "error": "\(error)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(1))
            }
        }
    }

    private static func attemptOutcome(_ outcome: TaskOutcome) -> AttemptOutcome {
        switch outcome {
        case .completed(let result): .completed(result)
        case .failed(let failure): .failed(failure)
        case .interrupted: .released(notes: "worker shutting down, requeued")
        case .cancelled: .cancelled
        }
    }

    private func log(_ reported: ReportedOutcome, applied: Bool) {
        let task = reported.task
        var metadata: Logger.Metadata = [
            "attempt": "\(task.attempt)", "elapsed_ms": "\(milliseconds(reported.elapsed))", "applied": "\(applied)",
        ]
        switch reported.outcome {
        case .completed:
            logger.info("Task completed", metadata: taskMetadata(task, metadata))
        case .failed(let failure):
            metadata["error_type"] = "\(failure.type)"
            metadata["error"] = "\(failure.message)"
            logger.info("Task failed", metadata: taskMetadata(task, metadata))
        case .interrupted:
            logger.info("Task put back in the queue", metadata: taskMetadata(task, metadata))
        case .cancelled:
            logger.info("Task cancelled", metadata: taskMetadata(task, metadata))
        }
        if !applied {
            logger.warning("Outcome not recorded: this worker no longer holds the task's lease", metadata: taskMetadata(task, [:]))
        }
    }

    private func taskMetadata(_ task: ClaimedTask, _ extra: Logger.Metadata) -> Logger.Metadata {
        var metadata = extra
        metadata["task_id"] = "\(task.id.lowercasedString)"
        if let correlationID = task.correlationID { metadata["correlation_id"] = "\(correlationID)" }
        return metadata
    }

    // MARK: Leases

    private func sweepExpiredLeases(contact: DatabaseContact) async {
        do {
            let (requeued, failed) = try await store.requeueExpiredLeases(
                grace: configuration.sweepGrace, serverUptime: configuration.sweepHoldOff + .seconds(10)
            )
            metrics.expiredRequeued.increment(by: Int64(requeued))
            metrics.expiredFailed.increment(by: Int64(failed))
            if requeued + failed > 0 {
                logger.warning("Expired leases swept", metadata: ["requeued": "\(requeued)", "failed": "\(failed)"])
            }
        } catch {
            contact.failed()
            logger.warning("Could not sweep expired leases", metadata: ["error": "\(error)"])
        }
    }

    /// Keeps the leases of held attempts alive; interrupts attempts whose lease was lost to a requeue. Returns
    /// false when the database could not be reached.
    @discardableResult
    private func renewLeases(_ running: RunningTasks, contact: DatabaseContact) async -> Bool {
        let keys = running.keys
        guard !keys.isEmpty else { return true }
        do {
            let started = ContinuousClock.now
            let renewal = try await store.renewLeases(
                of: keys, workerID: configuration.workerID, lease: configuration.lease, maxAge: configuration.maxLeaseAge
            )
            let kept = renewal.kept
            contact.succeeded(after: .now - started)
            // Cancellations whose notification this worker missed (it was reconnecting).
            if !renewal.cancelRequested.isEmpty { running.cancelByUser(renewal.cancelRequested) }
            // Only attempts still held now can have been lost (an outcome committed meanwhile is gone from both).
            let lost = Set(keys).subtracting(kept).filter { running.entry($0) != nil }
            if !lost.isEmpty {
                logger.warning("Lost the lease of held tasks; stopping them", metadata: ["tasks": "\(lost.count)"])
                metrics.leasesLost.increment(by: Int64(lost.count))
                running.cancel(lost)
            }
            return true
        } catch {
            contact.failed()
            logger.warning("Could not renew leases", metadata: ["error": "\(error)"])
            return false
        }
    }

    // MARK: Retention

    /// Deletes finished tasks past the retention age in batches, unless another worker is already at it.
    private func deleteOldTasks(olderThan retention: Duration) async {
        var total = 0
        do {
            // Batches keep each transaction short; a full batch means more may be waiting.
            while !Task.isCancelled, let deleted = try await store.deleteFinished(olderThan: retention, limit: 1000) {
                total += deleted
                if deleted < 1000 { break }
            }
        } catch {
            logger.warning("Could not delete old finished tasks; will retry", metadata: ["error": "\(error)"])
        }
        if total > 0 {
            logger.info("Old finished tasks deleted", metadata: ["tasks": "\(total)", "retention_seconds": "\(retention.components.seconds)"])
        }
    }

    // MARK: Shutdown

    /// Claimed tasks no thread has started go back at once, their attempt not counted.
    private func putBackUnstarted(_ queue: RunQueue, running: RunningTasks) async {
        let unstarted = queue.takeAll()
        guard !unstarted.isEmpty else { return }
        let attempts = unstarted.map { FinishedAttempt(key: $0.key, outcome: .released(notes: "worker shutting down, requeued")) }
        do {
            let applied = try await store.finish(attempts, workerID: configuration.workerID)
            logger.info("Unstarted tasks put back in the queue", metadata: ["tasks": "\(applied.count)"])
        } catch {
            logger.warning("Could not put unstarted tasks back; their leases will expire", metadata: ["error": "\(error)"])
        }
        running.remove(unstarted.map(\.key))
    }

    /// Waits for held tasks up to the grace period, then interrupts the rest (they are put back).
    private func drain(_ running: RunningTasks, contact: DatabaseContact) async {
        let deadline = ContinuousClock.now + configuration.shutdownGrace
        while running.count > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if running.count > 0 {
            logger.warning("Grace period over; interrupting running tasks", metadata: ["running": "\(running.count)"])
            running.cancel()
            contact.abandonRetries()
            while running.count > 0 {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}

func milliseconds(_ duration: Duration) -> Int64 {
    Int64(duration / .milliseconds(1))
}
