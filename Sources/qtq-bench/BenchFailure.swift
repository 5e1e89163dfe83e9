import QASM
import Simulator

/// Why a benchmark produced no numbers.
enum BenchFailure: Error, CustomStringConvertible {
    case usage(String)
    case unreadable(path: String, reason: String)
    case compile(CompileFailure)
    case simulation(SimulationError)

    var description: String {
        switch self {
        case let .usage(message): message
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .compile(failure): "the program does not compile:\n\(failure)"
        case let .simulation(error): "the run failed: \(error)"
        }
    }

    /// 2 for a wrong command line (as getopt tools do), 1 for anything else.
    var exitCode: Int32 {
        if case .usage = self { return 2 }
        return 1
    }
}
