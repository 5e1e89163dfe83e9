/// The engine's instruction set. Static control flow has already been unrolled by the front-end;
/// what remains here depends on measurement results and is followed per shot (or per shot branch).
public indirect enum Instruction: Sendable, Hashable {
    /// Apply a unitary.
    case gate(GateApplication)
    /// Apply a one-qubit unitary whose angles are evaluated when it runs (per shot branch).
    case runtimeGate(RuntimeGateApplication)
    /// Apply a fractional power of several operations with run-time angles: multiplied out when it runs.
    case runtimeBlock(RuntimeBlock)
    /// Multiply the whole state by e^{i·angle}. Invisible in counts; kept for state-vector checks.
    case globalPhase(Double)
    /// Measure `qubit` in the computational basis and store the outcome in classical bit `bit`.
    case measure(qubit: Int, bit: Int)
    /// Project `qubit` (with the outcome probabilities) and leave it in |0⟩.
    case reset(qubit: Int)
    /// No effect on the state; a fusion boundary the engine may ignore.
    case barrier([Int])
    /// Store a runtime classical value in variable slot `variable` (see `Circuit.variableCount`).
    case assign(variable: Int, value: ClassicalExpression)
    /// Store the truth of `value` into classical bit `bit`.
    case assignBit(bit: Int, value: ClassicalExpression)
    /// Run `then` when `condition` is true, else `otherwise`.
    case ifElse(condition: ClassicalExpression, then: [Instruction], otherwise: [Instruction])
    /// Run `body` while `condition` is true. `maxIterations` bounds a runaway loop: the engine fails the run past it.
    case whileLoop(condition: ClassicalExpression, body: [Instruction], maxIterations: Int)
    /// Leave the innermost enclosing `whileLoop`.
    case breakLoop
    /// Go to the next test of the innermost enclosing `whileLoop`'s condition.
    case continueLoop
    /// Stop this shot (branch) here (OpenQASM `end;`): its outcome is the classical bits as they are now, or,
    /// in a program without classical bits, every qubit measured now.
    case end
}
