import QASM

/// One step of the flattened program the dynamic executor follows: structured control flow becomes jumps, so a
/// shot branch is fully described by its program counter and classical state.
enum Operation: Sendable, Hashable {
    /// Apply `Program.blocks[index]`.
    case unitary(Int)
    /// Evaluate the gate's angles in the branch's classical state, then apply it (never fused: a boundary).
    case runtimeGate(RuntimeGateApplication)
    /// Evaluate the block's angles, multiply out and raise its matrix, then apply it (also a boundary).
    case runtimeBlock(RuntimeBlock)
    /// The shot branch ends here with its classical bits as they are.
    case end
    case measure(qubit: Int, bit: Int)
    case reset(qubit: Int)
    case assign(variable: Int, value: ClassicalExpression)
    case assignBit(bit: Int, value: ClassicalExpression)
    /// Continue at `target` when `condition` is false.
    case jumpUnless(ClassicalExpression, target: Int)
    case jump(Int)
    /// Entering a while loop: zero its iteration counter.
    case loopEnter(slot: Int)
    /// A while loop's test: leave to `exit` when `condition` is false, else count one more iteration.
    case loopTest(ClassicalExpression, slot: Int, maxIterations: Int, exit: Int)
}

/// A maximal run of unitaries between non-unitary steps: the unit of fusion and cache blocking.
struct UnitaryBlock: Sendable, Hashable {
    var gates: [CompiledGate] = []
    /// Sum of the `globalPhase` angles in the run (invisible in counts; applied only for `statevector`).
    var globalPhase: Double = 0
}
