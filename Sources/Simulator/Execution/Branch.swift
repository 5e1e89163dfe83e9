/// One group of shots that share every measurement outcome so far (or, when computing exact probabilities,
/// one outcome path with its probability).
struct Branch {
    var pc: Int
    var shots: Int
    var weight: Double
    var rng: Xoshiro256
    var classical: ClassicalState
    /// Outcomes of every measurement and reset so far, so the state can be rebuilt when no copy was affordable.
    var path: [UInt8]
    /// The branch's state, when memory allowed keeping a copy; otherwise it is rebuilt by replaying `path`.
    var snapshot: StateBuffer?
}
