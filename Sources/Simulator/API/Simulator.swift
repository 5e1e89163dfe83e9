import QASM

/// Runs compiled circuits on a complex128 state vector, or a complex64 one when a run asks for single precision.
///
/// Owns reusable buffers; NOT Sendable-shared: use one instance per concurrently running task (a worker keeps a few).
public final class Simulator {
    public let configuration: SimulatorConfiguration
    private let resources: EngineResources
    private var pool: BufferPool { resources.pool }
    /// Whether small terminal-measurement programs take `SmallTerminalRun` (tests turn it off to compare).
    private let smallStateRuns: Bool

    /// `memoryBudget`: the process's budget, shared by all its simulators so together they never hold more state
    /// memory than it allows; `nil` gives this simulator a budget of its own of `configuration.memoryBudgetBytes`.
    public init(configuration: SimulatorConfiguration = SimulatorConfiguration(), memoryBudget: MemoryBudget? = nil) {
        self.configuration = configuration
        resources = EngineResources(
            configuration: configuration, budget: memoryBudget ?? MemoryBudget(bytes: configuration.memoryBudgetBytes)
        )
        smallStateRuns = true
    }

    /// A simulator that runs every program through the general (branching) executor, for tests.
    init(configuration: SimulatorConfiguration, smallStateRuns: Bool) {
        self.configuration = configuration
        resources = EngineResources(configuration: configuration, budget: MemoryBudget(bytes: configuration.memoryBudgetBytes))
        self.smallStateRuns = smallStateRuns
    }

    /// Small chunks, blocks and tables with early threading, so tests exercise staging, workers, block sums and the
    /// streaming sampler on small circuits.
    /// `inPlaceStateLimitBytes`: the largest state whose contiguous chunks are worked on in place.
    init(
        configuration: SimulatorConfiguration, chunkQubits: Int, parallelQubits: Int, blockQubits: Int = 14, tableQubits: Int = 16,
        inPlaceStateLimitBytes: Int = EngineResources.defaultInPlaceStateLimitBytes
    ) {
        self.configuration = configuration
        resources = EngineResources(
            configuration: configuration, budget: MemoryBudget(bytes: configuration.memoryBudgetBytes),
            chunkQubits: chunkQubits, parallelQubits: parallelQubits, wholeStateQubits: chunkQubits,
            blockQubits: blockQubits, tableQubits: tableQubits, inPlaceStateLimitBytes: inPlaceStateLimitBytes
        )
        smallStateRuns = true
    }

    public func run(_ circuit: Circuit, options: RunOptions) throws(SimulationError) -> SimulationResult {
        let limits = RunLimits(timeLimit: configuration.timeLimit, isCancelled: options.isCancelled)
        guard options.shots >= 0 else { throw .invalidCircuit("the number of shots must not be negative (got \(options.shots)).") }
        let program = try ProgramBuilder.build(circuit)
        try pool.checkFits(qubits: program.qubitCount, precision: options.precision)
        let seed = options.seed ?? UInt64.random(in: .min ... .max)
        var (counts, statistics) = try sample(program, shots: options.shots, seed: seed, precision: options.precision, limits: limits)
        statistics.elapsed = limits.elapsed
        return SimulationResult(
            counts: counts, shots: options.shots, seed: seed, precision: options.precision, statistics: statistics
        )
    }

    private func sample(
        _ program: Program, shots: Int, seed: UInt64, precision: Precision, limits: RunLimits
    ) throws(SimulationError) -> ([String: Int], SimulationStatistics) {
        if smallStateRuns, let terminal = program.terminal, program.qubitCount <= SmallTerminalRun.maxQubits {
            // Same counts as below for every seed, at a fraction of the fixed cost (no pool, no branches).
            let maxResultBytes = configuration.maxResultBytes
            return switch precision {
            case .double:
                try SmallTerminalRun.run(
                    program, terminal, Double.self, shots: shots, seed: seed, limits: limits, resources: resources,
                    maxResultBytes: maxResultBytes
                )
            case .single:
                try SmallTerminalRun.run(
                    program, terminal, Float.self, shots: shots, seed: seed, limits: limits, resources: resources,
                    maxResultBytes: maxResultBytes
                )
            }
        }
        let program = Self.singleUnitaryForm(program)
        defer { pool.trim() }
        return switch precision {
        case .double: try sample(program, Double.self, shots: shots, seed: seed, limits: limits)
        case .single: try sample(program, Float.self, shots: shots, seed: seed, limits: limits)
        }
    }

    private func sample<S: StateScalar>(
        _ program: Program, _: S.Type, shots: Int, seed: UInt64, limits: RunLimits
    ) throws(SimulationError) -> ([String: Int], SimulationStatistics) {
        var executor = BranchingExecutor<S>(
            program: program, mode: .sample, context: context(for: program, limits: limits),
            maxResultBytes: configuration.maxResultBytes
        )
        try executor.run(shots: shots, seed: seed)
        return (executor.counts, executor.context.statistics)
    }

    /// Exact outcome distribution keyed like counts (terminal-measurement programs; dynamic ones by following every
    /// branch with its probability, bounded).
    public func probabilities(_ circuit: Circuit, precision: Precision = .double) throws(SimulationError) -> [String: Double] {
        switch precision {
        case .double: try probabilities(circuit, Double.self)
        case .single: try probabilities(circuit, Float.self)
        }
    }

    private func probabilities<S: StateScalar>(_ circuit: Circuit, _: S.Type) throws(SimulationError) -> [String: Double] {
        let limits = RunLimits(timeLimit: configuration.timeLimit, isCancelled: nil)
        let program = try prepare(circuit, precision: S.precision)
        var executor = BranchingExecutor<S>(
            program: program, mode: .exact, context: context(for: program, limits: limits),
            maxResultBytes: configuration.maxResultBytes
        )
        defer { pool.trim() }
        try executor.run(shots: 0, seed: 0)
        return executor.distribution
    }

    /// Final amplitudes of the circuit with measurements ignored (index = sum qubit_k * 2^k), for tests.
    public func statevector(_ circuit: Circuit, precision: Precision = .double) throws(SimulationError) -> [Complex] {
        switch precision {
        case .double: try statevector(circuit, Double.self)
        case .single: try statevector(circuit, Float.self)
        }
    }

    private func statevector<S: StateScalar>(_ circuit: Circuit, _: S.Type) throws(SimulationError) -> [Complex] {
        let limits = RunLimits(timeLimit: configuration.timeLimit, isCancelled: nil)
        let program = try ProgramBuilder.build(circuit)
        var context: ExecutionContext<S> = context(for: program, limits: limits)
        let buffer = try pool.acquireWorking(qubits: program.qubitCount, precision: S.precision, limits: limits)
        defer {
            pool.release(buffer)
            pool.trim()
        }
        let space = StateSpace(resources: resources, qubits: program.qubitCount)
        let state = buffer.basisStateView(qubits: program.qubitCount, space: space, as: S.self)
        var phase = 0.0
        for operation in program.operations {
            switch operation {
            case let .unitary(index):
                try context.apply(block: index, of: program, to: state)
                phase += program.blocks[index].globalPhase
            case .measure:
                continue
            default:
                throw .invalidCircuit("a state vector is defined only for programs without reset or classical control.")
            }
        }
        if phase != 0 { space.applyGlobalPhase(state, angle: phase) }
        return (0..<state.count).map { Complex(Double(state.re[$0]), Double(state.im[$0])) }
    }

    /// Frees the state memory kept for the next run (up to `configuration.retainedBufferBytes`; with a shared
    /// budget, every simulator's), e.g. when the worker goes idle; the next run allocates again.
    public func releaseMemory() {
        resources.releaseMemory()
    }

    /// State memory held between runs (for tests).
    var heldStateBytes: Int { pool.heldBytes }

    /// Builds the program and refuses states that cannot fit before anything is allocated.
    private func prepare(_ circuit: Circuit, precision: Precision) throws(SimulationError) -> Program {
        let program = try ProgramBuilder.build(circuit)
        try pool.checkFits(qubits: program.qubitCount, precision: precision)
        return Self.singleUnitaryForm(program)
    }

    /// When measurements commute to the end: one unitary, then every shot drawn from the final state.
    private static func singleUnitaryForm(_ program: Program) -> Program {
        guard let terminal = program.terminal else { return program }
        var program = program
        program.blocks = [terminal.block]
        program.operations = [.unitary(0)] + terminal.measurements.map { .measure(qubit: $0.qubit, bit: $0.bit) }
        program.terminalStart = 1
        return program
    }

    private func context<S: StateScalar>(for program: Program, limits: RunLimits) -> ExecutionContext<S> {
        ExecutionContext(
            limits: limits, resources: resources,
            statistics: SimulationStatistics(qubits: program.qubitCount, gates: program.gateCount)
        )
    }
}
