/// Limits that keep a hostile or mistaken program from hanging or exhausting the process.
public struct CompileOptions: Sendable, Hashable {
    /// Largest accepted source text in bytes.
    public var maxSourceBytes: Int = 1 << 20
    /// Most qubits a program may declare.
    public var maxQubits: Int = 30
    /// Most classical bits all bit registers together may declare (each also holds at most 4096). Every outcome
    /// key is this long, so it bounds the result and the per-shot classical state.
    public var maxClassicalBits: Int = 4096
    /// Most instructions after unrolling static loops and inlining gates/subroutines.
    public var maxOperations: Int = 5_000_000
    /// Most iterations of one static loop during unrolling (and the `maxIterations` given to dynamic loops).
    public var maxLoopIterations: Int = 1_000_000
    /// Deepest nesting of gate/subroutine calls (catches recursion).
    public var maxRecursionDepth: Int = 64
    /// Ends compilation early on a deadline or cancellation (no effect on what compiles).
    public var stop = CompileStopCondition()

    public init() {}
}
