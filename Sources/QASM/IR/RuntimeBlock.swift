/// A fractional `pow(k) @` of several operations with run-time angles (a user gate's body, qelib1's `rzz`, or
/// `gphase`), with any modifiers applied outside that power. Its matrix is the product of the steps, known
/// only once the angles are: it is multiplied out and raised per shot branch.
///
/// Qubits are the circuit's. `resolved(bit:variables:)` applies `modifiers` with the same code as
/// compile-time modifiers, so the result equals the static program's gate to rounding.
public struct RuntimeBlock: Sendable, Hashable {
    /// Name for logs and diagnostics only.
    public var name: String
    /// The operations, in order, before any modifier.
    public var steps: [Step]
    /// Applied in order (innermost modifier first); the first is the fractional power.
    public var modifiers: [Modifier]

    public enum Step: Sendable, Hashable {
        case gate(GateApplication)
        /// e^{i·angle}: invisible alone, a relative phase once the block is controlled.
        case phase(Double)
        case runtimeGate(RuntimeGateApplication)
        case runtimePhase(ClassicalExpression)
        /// A block nested in a gate body that is itself raised to a fractional power.
        case block(RuntimeBlock)
    }

    public enum Modifier: Sendable, Hashable {
        /// `pow(k) @`: the principal power for non-integer k, as at compile time.
        case power(Double)
        case inverse
        /// `ctrl @` (`value` true) or `negctrl @` (false) on these qubits.
        case control([Int], value: Bool)
    }

    public init(name: String, steps: [Step], modifiers: [Modifier]) {
        self.name = name
        self.steps = steps
        self.modifiers = modifiers
    }

    /// Every qubit the block acts on (its steps' targets and controls, and added controls), in first-use order.
    public var qubits: [Int] {
        var result: [Int] = []
        func add(_ qubits: [Int]) {
            for qubit in qubits where !result.contains(qubit) { result.append(qubit) }
        }
        for step in steps {
            switch step {
            case .gate(let g): add(g.targets + g.controls)
            case .runtimeGate(let r): add([r.target] + r.controls)
            case .block(let b): add(b.qubits)
            case .phase, .runtimePhase: break
            }
        }
        for case .control(let controls, _) in modifiers { add(controls) }
        return result
    }
}
