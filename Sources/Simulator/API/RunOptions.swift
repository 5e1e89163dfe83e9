/// What one run should do: how many shots, which seed, which precision, and how to learn that the caller gave up.
public struct RunOptions: Sendable {
    public var shots: Int
    /// The amplitudes' type: `.double` (complex128) by default, `.single` (complex64) for half the memory.
    public var precision: Precision
    /// `nil`: draw a random seed. The seed used is reported in `SimulationResult.seed`.
    public var seed: UInt64?
    /// Polled between gates and blocks; when it returns `true` the run throws `.cancelled`.
    public var isCancelled: (@Sendable () -> Bool)?

    public init(
        shots: Int, seed: UInt64? = nil, precision: Precision = .double, isCancelled: (@Sendable () -> Bool)? = nil
    ) {
        self.shots = shots
        self.precision = precision
        self.seed = seed
        self.isCancelled = isCancelled
    }
}
