import Foundation
import QASM
import Synchronization
import Testing
@testable import Simulator

/// One memory budget per process, shared by every simulator (worker slot) of it.
@Suite struct MemoryBudgetTests {
    static let qubits = 16
    static let stateBytes = StateBuffer.byteCount(qubits: qubits)
    static let wide = Gates.circuit(qubits: qubits, bits: 0, (0..<qubits).map { Gates.h($0) })

    @Test func aSecondMaxSizeStateWaitsUntilTheFirstIsDone() throws {
        // Room for one 16-qubit state, not two.
        let budget = MemoryBudget(bytes: Self.stateBytes * 3 / 2)
        let firstHolds = Flag(), secondDone = Flag(), firstFinished = Flag()
        let firstResult = Mutex<Result<SimulationResult, SimulationError>?>(nil)
        // The first run holds its state until the second has given up: its cancellation hook runs between gates.
        let holdingHook: @Sendable () -> Bool = {
            firstHolds.set()
            secondDone.wait()
            return false
        }
        Thread.detachNewThread {
            let first = Simulator(configuration: SimulatorConfiguration(threads: 1), memoryBudget: budget)
            let result = Result { () throws(SimulationError) in
                try first.run(Self.wide, options: RunOptions(shots: 100, seed: 1, isCancelled: holdingHook))
            }
            firstResult.withLock { $0 = result }
            firstFinished.set()
        }
        #expect(firstHolds.wait())

        // The second waits for memory instead of allocating a second state; its short time limit ends the wait.
        let waitedSeen = Flag()
        let watchingHook: @Sendable () -> Bool = {
            if budget.waitingRuns == 1 { waitedSeen.set() }
            #expect(budget.reservedBytes <= budget.totalBytes)
            return false
        }
        let second = Simulator(configuration: SimulatorConfiguration(threads: 1, timeLimit: .milliseconds(200)), memoryBudget: budget)
        #expect(throws: SimulationError.timeLimitExceeded(seconds: 0.2)) {
            try second.run(Self.wide, options: RunOptions(shots: 100, seed: 2, isCancelled: watchingHook))
        }
        #expect(waitedSeen.isSet)
        #expect(budget.reservedBytes == Self.stateBytes)
        secondDone.set()

        #expect(firstFinished.wait())
        let first = try #require(firstResult.withLock { $0 })
        #expect(try first.get().counts.values.reduce(0, +) == 100)
        // Once the first is done its memory is the second's (the kept buffer is handed over, not counted twice).
        let again = try second.run(Self.wide, options: RunOptions(shots: 100, seed: 2))
        #expect(again.counts.values.reduce(0, +) == 100)
        #expect(budget.reservedBytes == Self.stateBytes)
    }

    @Test func aStateLargerThanTheWholeBudgetFailsAtOnce() {
        let budget = MemoryBudget(bytes: Self.stateBytes * 3 / 2)
        let simulator = Simulator(configuration: SimulatorConfiguration(threads: 1), memoryBudget: budget)
        let circuit = Gates.circuit(qubits: Self.qubits + 1, bits: 0, [Gates.h(0)])
        #expect(throws: SimulationError.stateTooLarge(qubits: 17, bytes: 2 * Self.stateBytes, budgetBytes: Self.stateBytes * 3 / 2)) {
            try simulator.run(circuit, options: RunOptions(shots: 1))
        }
        #expect(budget.reservedBytes == 0)
    }

    @Test func anIdleSimulatorsKeptStateGivesWay() throws {
        // Room for one 16-qubit state plus a little: a 15-qubit state kept by an idle simulator must be freed.
        let budget = MemoryBudget(bytes: Self.stateBytes + StateBuffer.byteCount(qubits: 14))
        let idle = Simulator(configuration: SimulatorConfiguration(threads: 1), memoryBudget: budget)
        let busy = Simulator(configuration: SimulatorConfiguration(threads: 1, timeLimit: .seconds(10)), memoryBudget: budget)
        _ = try idle.run(Gates.circuit(qubits: 15, bits: 0, [Gates.h(0)]), options: RunOptions(shots: 1, seed: 1))
        #expect(budget.parkedBytes == StateBuffer.byteCount(qubits: 15))
        let result = try busy.run(Self.wide, options: RunOptions(shots: 10, seed: 1))
        #expect(result.counts.values.reduce(0, +) == 10)
        #expect(budget.reservedBytes == Self.stateBytes)
        #expect(budget.parkedBytes == Self.stateBytes)
    }

    @Test func theQubitLimitFollowsTheBudget() {
        #expect(SimulatorConfiguration.qubitsFitting(bytes: 16 << 20) == 20)
        #expect(SimulatorConfiguration.qubitsFitting(bytes: (16 << 20) - 1) == 19)
        var configuration = SimulatorConfiguration()
        configuration.memoryBudgetBytes = 1 << 30
        #expect(configuration.largestStateQubits == 26)
    }

    @Test func theDefaultBudgetIsHalfOfTheSmallerOfRAMAndTheCgroupLimit() {
        #expect(SimulatorConfiguration.memoryBudget(physicalBytes: 24 << 30, cgroupLimitBytes: 2 << 30) == 1 << 30)
        #expect(SimulatorConfiguration.memoryBudget(physicalBytes: 4 << 30, cgroupLimitBytes: 8 << 30) == 2 << 30)
        #expect(SimulatorConfiguration.memoryBudget(physicalBytes: 24 << 30, cgroupLimitBytes: nil) == 12 << 30)
    }
}

@Suite struct CgroupCPULimitTests {
    @Test func quotasRoundUpToWholeCores() {
        #expect(CgroupCPULimit.parseV2("200000 100000\n") == 2)
        #expect(CgroupCPULimit.parseV2("150000 100000") == 2)
        #expect(CgroupCPULimit.parseV2("50000 100000") == 1)
        #expect(CgroupCPULimit.parseV2("max 100000\n") == nil)
        #expect(CgroupCPULimit.parseV2("garbage") == nil)
    }

    @Test func aFolderWithoutCgroupFilesSetsNoQuota() {
        #expect(CgroupCPULimit.cores(root: "/nonexistent-cgroup-root") == nil)
    }
}
