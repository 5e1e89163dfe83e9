import Foundation

/// What `qtq-bench FILE` prints. Keys are snake_case because bench/sim.py (Python) reads them; explicit keys,
/// not a key strategy, because a strategy would also rewrite the outcome strings in `counts_sample`.
struct TimingReport: Encodable {
    var medianSeconds: Double
    var minSeconds: Double
    var runs: [Double]
    /// Process CPU seconds (user + system) of each timed run: unlike wall time, not stretched when other
    /// processes take the core, so comparable across runs on a shared machine.
    var cpuRuns: [Double]
    var medianCPUSeconds: Double
    var compileSeconds: Double
    /// The engine's own measure of the last run (excludes the call overhead around it).
    var engineElapsedSeconds: Double
    var qubits: Int
    var gates: Int
    var fusedBlocks: Int
    var passes: Int
    var branches: Int
    var shots: Int
    var seed: UInt64
    var threads: Int
    var warmup: Bool
    /// Which form of the dense kernels ran ("four" or "eight" amplitudes per instruction group).
    var laneWidth: String
    /// "single" (complex64) or "double" (complex128).
    var precision: String
    var countsSample: [String: Int]

    enum CodingKeys: String, CodingKey {
        case medianSeconds = "median_seconds", minSeconds = "min_seconds", runs, compileSeconds = "compile_seconds"
        case cpuRuns = "cpu_runs", medianCPUSeconds = "median_cpu_seconds"
        case engineElapsedSeconds = "engine_elapsed_seconds", qubits, gates, fusedBlocks = "fused_blocks", passes
        case branches, shots, seed, threads, warmup, laneWidth = "lane_width", precision, countsSample = "counts_sample"
    }
}

/// What `qtq-bench overhead FILE` prints. A task is compile + simulate + sample + the result document's JSON.
struct OverheadReport: Encodable {
    var medianMicrosecondsPerTask: Double
    var minMicrosecondsPerTask: Double
    var iterations: Int
    var batches: Int
    var shots: Int
    var threads: Int
    var qubits: Int
    var gates: Int
    /// Size of the result document each task encodes (what the worker would store in `tasks.result`).
    var resultJSONBytes: Int
    var countsSample: [String: Int]

    enum CodingKeys: String, CodingKey {
        case medianMicrosecondsPerTask = "median_us_per_task", minMicrosecondsPerTask = "min_us_per_task"
        case iterations, batches, shots, threads, qubits, gates, resultJSONBytes = "result_json_bytes"
        case countsSample = "counts_sample"
    }
}

extension Encodable {
    /// One line of JSON, keys sorted so runs diff cleanly.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Only a non-finite Double can fail to encode; say so in JSON rather than trap.
        guard let data = try? encoder.encode(self) else { return #"{"error":"a measurement was not finite"}"# }
        return String(decoding: data, as: UTF8.self)
    }
}
