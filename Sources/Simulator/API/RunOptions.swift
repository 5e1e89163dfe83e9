/// What one run should do: how many shots, which seed, and how to learn that the caller gave up.
public struct RunOptions: Sendable {
    public var shots: Int
    /// `nil`: draw a random seed. The seed used is reported in `SimulationResult.seed`.
    public var seed: UInt64?
    /// Polled between gates and blocks; when it returns `true` the run throws `.cancelled`.
    public var isCancelled: (@Sendable () -> Bool)?

    public init(shots: Int, seed: UInt64? = nil, isCancelled: (@Sendable () -> Bool)? = nil) {
        self.shots = shots
        self.seed = seed
        self.isCancelled = isCancelled
    }
}
