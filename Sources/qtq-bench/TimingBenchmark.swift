import Foundation
import QASM
import Simulator

/// Compiles once, then times `repeatCount` simulator runs: the engine's cost without the front-end's.
struct TimingBenchmark {
    var repeatCount: Int
    /// One untimed run first, so page faults of a first allocation and lazy setup don't land in the median.
    var warmup: Bool
    var threads: Int

    func measure(source: String, simulator: Simulator, options: RunOptions) throws(BenchFailure) -> TimingReport {
        let clock = ContinuousClock()
        let compileStart = clock.now
        let circuit: Circuit
        do {
            circuit = try QASMCompiler.compile(source)
        } catch {
            throw .compile(error)
        }
        let compileTime = compileStart.duration(to: clock.now)

        if warmup { _ = try Self.run(simulator, circuit, options) }
        var cpuStart = Self.processCPUSeconds()
        var (time, result) = try timedRun(simulator, circuit, options)
        var times = [time]
        var cpuTimes = [Self.processCPUSeconds() - cpuStart]
        for _ in 1..<max(1, repeatCount) {
            cpuStart = Self.processCPUSeconds()
            (time, result) = try timedRun(simulator, circuit, options)
            times.append(time)
            cpuTimes.append(Self.processCPUSeconds() - cpuStart)
        }
        let stats = result.statistics
        return TimingReport(
            medianSeconds: times.median.seconds, minSeconds: (times.min() ?? time).seconds,
            runs: times.map(\.seconds), cpuRuns: cpuTimes, medianCPUSeconds: cpuTimes.median, compileSeconds: compileTime.seconds,
            engineElapsedSeconds: stats.elapsed.seconds,
            qubits: stats.qubits, gates: stats.gates, fusedBlocks: stats.fusedBlocks, passes: stats.memoryPasses,
            branches: stats.branches, shots: result.shots, seed: result.seed, threads: threads, warmup: warmup,
            laneWidth: simulator.configuration.laneWidth.rawValue, precision: result.precision.rawValue,
            countsSample: result.counts.mostFrequent(4)
        )
    }

    private func timedRun(_ simulator: Simulator, _ circuit: Circuit, _ options: RunOptions) throws(BenchFailure)
        -> (Duration, SimulationResult)
    {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try Self.run(simulator, circuit, options)
        return (start.duration(to: clock.now), result)
    }

    /// User + system CPU seconds of the whole process so far (every thread's).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func run(_ simulator: Simulator, _ circuit: Circuit, _ options: RunOptions) throws(BenchFailure)
        -> SimulationResult
    {
        do {
            return try simulator.run(circuit, options: options)
        } catch {
            throw .simulation(error)
        }
    }
}
