/// Why a run did not produce counts.
public enum SimulationError: Error, Sendable, Hashable, CustomStringConvertible {
    case stateTooLarge(qubits: Int, bytes: Int, budgetBytes: Int)
    /// The counts would have more than `outcomes` distinct keys of `keyBytes` characters each.
    case resultTooLarge(outcomes: Int, keyBytes: Int, limitBytes: Int)
    case timeLimitExceeded(seconds: Double)
    case loopLimitExceeded(iterations: Int)
    case classicalEvaluation(String)
    case cancelled
    case invalidCircuit(String)

    public var description: String {
        switch self {
        case let .stateTooLarge(qubits, bytes, budgetBytes):
            "A \(qubits)-qubit state needs \(Self.format(bytes: bytes)) but the simulator may use only "
                + "\(Self.format(bytes: budgetBytes)); use fewer qubits, single precision (half the memory per amplitude) "
                + "or raise the memory budget."
        case let .resultTooLarge(outcomes, keyBytes, limitBytes):
            "The counts have more than \(outcomes) distinct outcomes with \(keyBytes)-character keys, more than the "
                + "result limit of \(Self.format(bytes: limitBytes)); measure fewer bits (or into smaller registers), "
                + "use fewer shots, or raise the result size limit."
        case let .timeLimitExceeded(seconds):
            "The run was stopped after its time limit of \(Self.format(seconds: seconds)); "
                + "use fewer qubits, gates or shots, or raise the limit."
        case let .loopLimitExceeded(iterations):
            "A while loop ran more than \(iterations) iterations on one shot; make sure its condition becomes false."
        case let .classicalEvaluation(message):
            "A classical expression could not be evaluated while running: \(message)"
        case .cancelled:
            "The run was cancelled before it finished."
        case let .invalidCircuit(message):
            "The circuit cannot be simulated: \(message)"
        }
    }

    private static func format(bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        let rounded = (value * 10).rounded() / 10
        return "\(rounded) \(units[unit]) (\(bytes) bytes)"
    }

    private static func format(seconds: Double) -> String {
        let rounded = (seconds * 1000).rounded() / 1000
        return "\(rounded) s"
    }
}
