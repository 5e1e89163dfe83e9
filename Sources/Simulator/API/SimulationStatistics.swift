/// What a run cost, for logs and benchmarks.
public struct SimulationStatistics: Sendable, Hashable {
    public var qubits: Int
    /// Gate applications in the program as compiled (before fusion).
    public var gates: Int
    /// Blocks actually applied after fusion.
    public var fusedBlocks: Int
    /// Sweeps over the whole state vector (gate blocks, measurements, sampling).
    public var memoryPasses: Int
    /// Shot branches followed (1 for programs whose measurements are all at the end).
    public var branches: Int
    public var elapsed: Duration

    public init(
        qubits: Int = 0, gates: Int = 0, fusedBlocks: Int = 0, memoryPasses: Int = 0, branches: Int = 0,
        elapsed: Duration = .zero
    ) {
        self.qubits = qubits
        self.gates = gates
        self.fusedBlocks = fusedBlocks
        self.memoryPasses = memoryPasses
        self.branches = branches
        self.elapsed = elapsed
    }
}
