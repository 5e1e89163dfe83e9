import Foundation
import QASM
import Simulator

/// The parsed command line: which measurement to make, on which file, with which settings.
struct BenchCommand {
    enum Mode {
        /// Compile once, then time `repeat` runs of the simulator alone.
        case timing(repeat: Int, warmup: Bool)
        /// Time whole tasks (compile + run + sample + the stored counts JSON) in a warm loop.
        case overhead(iterations: Int)
    }

    static let usage = """
        usage: qtq-bench FILE.qasm --shots N --repeat R [--threads T] [--seed S] [--warmup] [--lane-width 4|8]
                         [--precision single|double]
               qtq-bench overhead FILE.qasm --shots N --iterations K [--threads T] [--seed S] [--lane-width 4|8]
                         [--precision single|double]

        """

    var mode: Mode
    var path: String
    var shots = 1024
    var threads = 2
    var seed: UInt64 = 1234
    /// The CPU's kernels unless the command line asks for the other form (to compare both on one host).
    var laneWidth = LaneWidth.detected
    var precision = Precision.double

    init(arguments: [String]) throws(BenchFailure) {
        var rest = arguments[...]
        let isOverhead = rest.first == "overhead"
        if isOverhead { rest = rest.dropFirst() }
        guard let path = rest.popFirst(), !path.hasPrefix("--") else { throw .usage("missing the QASM file") }
        self.path = path

        var repeatCount = 3
        var iterations = 20_000
        var warmup = false
        while let flag = rest.popFirst() {
            if flag == "--warmup" {
                warmup = true
                continue
            }
            guard let value = rest.popFirst() else { throw .usage("\(flag) needs a value") }
            switch flag {
            case "--shots": shots = try Self.positive(value, flag)
            case "--repeat": repeatCount = try Self.positive(value, flag)
            case "--iterations": iterations = try Self.positive(value, flag)
            case "--threads": threads = try Self.positive(value, flag)
            case "--lane-width":
                switch value {
                case "4": laneWidth = .four
                case "8": laneWidth = .eight
                default: throw .usage("--lane-width is 4 or 8")
                }
            case "--precision":
                guard let parsed = Precision(rawValue: value) else { throw .usage("--precision is single or double") }
                precision = parsed
            case "--seed":
                guard let parsed = UInt64(value) else { throw .usage("--seed needs an unsigned integer") }
                seed = parsed
            default: throw .usage("unknown option \(flag)")
            }
        }
        mode = isOverhead ? .overhead(iterations: iterations) : .timing(repeat: repeatCount, warmup: warmup)
    }

    /// Runs the measurement and returns its JSON report.
    func run() throws(BenchFailure) -> String {
        let source = try readSource()
        var configuration = SimulatorConfiguration(threads: threads)
        configuration.laneWidth = laneWidth
        let simulator = Simulator(configuration: configuration)
        let options = RunOptions(shots: shots, seed: seed, precision: precision)
        switch mode {
        case let .timing(repeatCount, warmup):
            let benchmark = TimingBenchmark(repeatCount: repeatCount, warmup: warmup, threads: threads)
            return try benchmark.measure(source: source, simulator: simulator, options: options).json
        case let .overhead(iterations):
            let benchmark = OverheadBenchmark(iterations: iterations, threads: threads)
            return try benchmark.measure(source: source, simulator: simulator, options: options).json
        }
    }

    private func readSource() throws(BenchFailure) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
    }

    private static func positive(_ value: String, _ flag: String) throws(BenchFailure) -> Int {
        guard let number = Int(value), number > 0 else { throw .usage("\(flag) needs a positive integer") }
        return number
    }
}
