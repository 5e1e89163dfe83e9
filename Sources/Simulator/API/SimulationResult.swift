/// Counts of one run, keyed exactly like Qiskit Aer's `get_counts()`.
public struct SimulationResult: Sendable, Hashable {
    public var counts: [String: Int]
    public var shots: Int
    public var seed: UInt64
    /// The precision the run used.
    public var precision: Precision
    public var statistics: SimulationStatistics

    public init(
        counts: [String: Int], shots: Int, seed: UInt64, precision: Precision = .double, statistics: SimulationStatistics
    ) {
        self.counts = counts
        self.shots = shots
        self.seed = seed
        self.precision = precision
        self.statistics = statistics
    }
}
