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
        var times: [Duration] = []
        var last: SimulationResult?
        for _ in 0..<repeatCount {
            let start = clock.now
            let result = try Self.run(simulator, circuit, options)
            times.append(start.duration(to: clock.now))
            last = result
        }
        // repeatCount > 0 is checked by the command line.
        let result = last!
        let stats = result.statistics
        return TimingReport(
            medianSeconds: times.median.seconds, minSeconds: times.min()!.seconds, runs: times.map(\.seconds),
            compileSeconds: compileTime.seconds, engineElapsedSeconds: stats.elapsed.seconds,
            qubits: stats.qubits, gates: stats.gates, fusedBlocks: stats.fusedBlocks, passes: stats.memoryPasses,
            branches: stats.branches, shots: result.shots, seed: result.seed, threads: threads, warmup: warmup,
            countsSample: result.counts.mostFrequent(4)
        )
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
