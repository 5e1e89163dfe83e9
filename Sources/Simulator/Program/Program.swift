import QASM

/// A circuit prepared for execution: gates normalised, control flow flattened, outcome keys laid out,
/// and (when every measurement is terminal) the single unitary plus the measured bits.
struct Program: Sendable {
    var qubitCount: Int
    /// Classical bits, including the virtual ones that stand for the implicit final measurement of every qubit.
    var bitCount: Int
    var formatter: OutcomeFormatter
    var operations: [Operation] = []
    var blocks: [UnitaryBlock] = []
    var loopSlots = 0
    var initialVariables: [ClassicalValue]
    /// Gate applications in the circuit (after unrolling, before fusion).
    var gateCount = 0
    /// From this operation on only measurements remain: they are sampled together, not one by one.
    var terminalStart = 0
    /// Present when the program is one unitary followed by measurements (no reset, no classical control).
    var terminal: TerminalPlan?
}

/// A program whose measurements are all at the end: simulate the unitary once, then draw every shot.
struct TerminalPlan: Sendable {
    var block: UnitaryBlock
    /// (qubit, bit) for every bit that ends up written, the last write winning.
    var measurements: [Measurement]
}

struct Measurement: Sendable, Hashable {
    var qubit: Int
    var bit: Int
}
