/// What one run carries through its executors: limits, engine resources, cached stage plans and statistics.
struct ExecutionContext<S: StateScalar> {
    let limits: RunLimits
    let resources: EngineResources
    var statistics: SimulationStatistics
    /// Stage plans by block index (a block inside a loop runs many times but is planned once).
    private var plans: [Int: [Stage<S>]] = [:]

    init(limits: RunLimits, resources: EngineResources, statistics: SimulationStatistics) {
        self.limits = limits
        self.resources = resources
        self.statistics = statistics
    }

    var pool: BufferPool { resources.pool }

    /// Applies block `index`'s gates (not its global phase, which no count can see).
    mutating func apply(block index: Int, of program: Program, to state: StateView<S>) throws(SimulationError) {
        let stages: [Stage<S>]
        if let cached = plans[index] {
            stages = cached
        } else {
            stages = plan(program.blocks[index].gates, qubits: state.qubits)
            plans[index] = stages
        }
        try run(stages, on: state)
    }

    /// Applies a block that runs once (not cached): planned as `apply(block:of:to:)` plans it.
    mutating func apply(gates: [CompiledGate], to state: StateView<S>) throws(SimulationError) {
        try run(plan(gates, qubits: state.qubits), on: state)
    }

    private func plan(_ gates: [CompiledGate], qubits: Int) -> [Stage<S>] {
        // Fusing pays only when gates are expensive; tiny states skip it (it would dominate a Bell run).
        let gates = qubits >= GateFuser.minimumQubits ? GateFuser.fuse(gates) : gates
        return stages(gates, qubits: qubits)
    }

    private func stages(_ gates: [CompiledGate], qubits: Int) -> [Stage<S>] {
        StagePlanner.plan(
            gates, qubits: qubits, chunkQubits: resources.chunkQubits(forQubits: qubits),
            inPlaceStateLimitBytes: resources.inPlaceStateLimitBytes, as: S.self
        )
    }

    /// Applies one gate known only now (angles evaluated per branch): planned on its own, not cached.
    mutating func apply(gate: CompiledGate, to state: StateView<S>) throws(SimulationError) {
        guard !gate.isIdentity else { return }
        try run(stages([gate], qubits: state.qubits), on: state)
    }

    private mutating func run(_ stages: [Stage<S>], on state: StateView<S>) throws(SimulationError) {
        for stage in stages {
            try limits.check()
            try StageExecutor.run(stage, on: state, resources: resources)
            statistics.fusedBlocks += stage.gates.count
            statistics.memoryPasses += 1
        }
    }
}
