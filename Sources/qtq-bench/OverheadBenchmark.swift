import QASM
import Simulator

/// Times whole small tasks (compile + simulate + sample + the stored counts JSON) in a warm loop: the fixed cost a
/// worker pays per task.
struct OverheadBenchmark {
    var iterations: Int
    var threads: Int
    /// The loop is split into batches so the report has a median that shrugs off a noisy neighbour.
    var batches = 5

    func measure(source: String, simulator: Simulator, options: RunOptions) throws(BenchFailure) -> OverheadReport {
        let clock = ContinuousClock()
        let perBatch = max(1, iterations / batches)
        var last = try task(source, simulator, options)  // warm-up: first-use costs are not per-task costs
        var documentBytes = 0
        var perTask: [Duration] = []
        for _ in 0..<batches {
            let start = clock.now
            for _ in 0..<perBatch {
                last = try task(source, simulator, options)
                // Kept, so the encoding cannot be optimised away.
                documentBytes = ResultDocument.json(last).utf8.count
            }
            perTask.append(start.duration(to: clock.now) / perBatch)
        }
        return OverheadReport(
            medianMicrosecondsPerTask: perTask.median.seconds * 1e6,
            minMicrosecondsPerTask: (perTask.min() ?? .zero).seconds * 1e6,
            iterations: perBatch * batches, batches: batches, shots: last.shots, threads: threads,
            qubits: last.statistics.qubits, gates: last.statistics.gates,
            resultJSONBytes: documentBytes, countsSample: last.counts.mostFrequent(4)
        )
    }

    private func task(_ source: String, _ simulator: Simulator, _ options: RunOptions) throws(BenchFailure)
        -> SimulationResult
    {
        let circuit: Circuit
        do {
            circuit = try QASMCompiler.compile(source)
        } catch {
            throw .compile(error)
        }
        return try TimingBenchmark.run(simulator, circuit, options)
    }
}
