#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
import Synchronization

/// One process's state-vector memory, shared by all its `Simulator`s (a worker has one per slot): each reserves
/// a state's bytes here before allocating it, so two slots can never hold more than the process may use. A run
/// whose state does not fit now waits for others to finish; one that can never fit is refused up front.
///
/// Buffers a simulator keeps for its next run are parked here, still counted, and freed as soon as someone needs
/// their room: an idle slot's cache never starves a running one.
public final class MemoryBudget: Sendable {
    public let totalBytes: Int
    private let ledger = Mutex(Ledger())

    public init(bytes: Int) {
        totalBytes = max(0, bytes)
    }

    /// Bytes reserved now: buffers in use plus parked ones.
    public var reservedBytes: Int { ledger.withLock { $0.reservedBytes } }

    /// Parked buffers' bytes (memory kept for the next run).
    public var parkedBytes: Int { ledger.withLock { $0.parkedBytes } }

    /// Runs waiting for memory now (for tests and logs).
    public var waitingRuns: Int { ledger.withLock { $0.waiting } }

    /// Reserves `bytes` if they fit now, freeing parked buffers first when that makes room.
    func tryReserve(_ bytes: Int) -> Bool {
        // Evicted buffers are returned so they are unmapped after the lock is released.
        let (reserved, _) = ledger.withLock { ledger -> (Bool, [ParkedBuffer]) in
            if ledger.reservedBytes + bytes <= totalBytes {
                ledger.reservedBytes += bytes
                return (true, [])
            }
            guard ledger.reservedBytes - ledger.parkedBytes + bytes <= totalBytes else { return (false, []) }
            // Idle caches give way: free them all (largest first is not worth the bookkeeping).
            let evicted = ledger.parked
            ledger.parked.removeAll()
            ledger.reservedBytes -= ledger.parkedBytes
            ledger.parkedBytes = 0
            ledger.reservedBytes += bytes
            return (true, evicted)
        }
        return reserved
    }

    /// Reserves `bytes`, waiting while other runs hold the memory; the wait ends with the run's time limit or
    /// cancellation. The caller has checked that `bytes <= totalBytes`.
    func reserve(_ bytes: Int, limits: RunLimits) throws(SimulationError) {
        if tryReserve(bytes) { return }
        ledger.withLock { $0.waiting += 1 }
        defer { ledger.withLock { $0.waiting -= 1 } }
        while !tryReserve(bytes) {
            try limits.check()
            // Polling (not a condition variable): waits are rare, only for the largest states, and must notice
            // cancellation and the time limit anyway.
            usleep(1000)
        }
    }

    func release(_ bytes: Int) {
        ledger.withLock { $0.reservedBytes -= bytes }
    }

    /// Keeps a buffer for whichever simulator needs one next; its bytes stay reserved.
    func park(_ buffer: StateBuffer) {
        let bytes = buffer.byteCount
        ledger.withLock { ledger in
            ledger.parked.append(ParkedBuffer(buffer: buffer))
            ledger.parkedBytes += bytes
        }
    }

    /// The smallest parked buffer of at least `bytes`; its reservation passes to the caller.
    func unpark(bytes: Int) -> StateBuffer? {
        ledger.withLock { ledger -> ParkedBuffer? in
            let fitting = ledger.parked.indices.filter { ledger.parked[$0].buffer.byteCount >= bytes }
            guard let index = fitting.min(by: { ledger.parked[$0].buffer.byteCount < ledger.parked[$1].buffer.byteCount })
            else { return nil }
            let parked = ledger.parked.remove(at: index)
            ledger.parkedBytes -= parked.buffer.byteCount
            return parked
        }?.buffer
    }

    /// Frees the parked buffers smaller than `bytes` (all of them by default).
    func freeParked(smallerThan limit: Int = .max) {
        // Returned so they are unmapped after the lock is released.
        _ = ledger.withLock { ledger -> [ParkedBuffer] in
            let evicted = ledger.parked.filter { $0.buffer.byteCount < limit }
            ledger.parked.removeAll { $0.buffer.byteCount < limit }
            let bytes = evicted.reduce(0) { $0 + $1.buffer.byteCount }
            ledger.reservedBytes -= bytes
            ledger.parkedBytes -= bytes
            return evicted
        }
    }

    private struct Ledger {
        var reservedBytes = 0
        var parkedBytes = 0
        var parked: [ParkedBuffer] = []
        var waiting = 0
    }

    /// A buffer no simulator owns: only the ledger (under its lock) holds it until one takes it out, which is what
    /// makes handing it between threads sound.
    private struct ParkedBuffer: @unchecked Sendable {
        let buffer: StateBuffer
    }
}
