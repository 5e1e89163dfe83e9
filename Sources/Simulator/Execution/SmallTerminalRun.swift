/// Runs a program whose measurements are all at the end on a state of at most `maxQubits` qubits: the per-task
/// overhead case (a Bell pair, the small fixtures). Its counts are the general path's, bit for bit, for every
/// seed: the gates run through the same kernels in the same order (so the amplitudes are the same), the shots are
/// drawn by the same multinomial sampler from the same generator, and keys are formatted as `OutcomeFormatter`
/// formats them. What it leaves out only large or dynamic runs need: the state lives on the stack (no buffer
/// pool, no memory-budget lock), there is one branch and no bookkeeping for others, per-outcome tallies are a
/// table instead of a dictionary, and states below lane width skip stage planning.
enum SmallTerminalRun {
    /// The largest state drawn multinomially (`OutcomeSampler` then never loops over shots).
    static let maxQubits = OutcomeSampler.multinomialQubits

    static func run<S: StateScalar>(
        _ program: Program, _ plan: TerminalPlan, _: S.Type, shots: Int, seed: UInt64, limits: RunLimits,
        resources: EngineResources, maxResultBytes: Int
    ) throws(SimulationError) -> ([String: Int], SimulationStatistics) {
        precondition(program.qubitCount <= maxQubits, "state too large for the small-state path")
        var statistics = SimulationStatistics(qubits: program.qubitCount, gates: program.gateCount, branches: 1)
        // At most 1 KiB, so on the stack; 16-byte aligned because a stricter alignment made it a heap allocation
        // (lane kernels load unaligned anyway).
        let amplitudes = 1 << program.qubitCount
        // As the branching executor does before it follows its (only) branch.
        try limits.check()
        let counts = try withUnsafeTemporaryAllocation(byteCount: 2 * amplitudes * MemoryLayout<S>.stride, alignment: 16) {
            raw throws(SimulationError) -> [String: Int] in
            let re = raw.baseAddress!.bindMemory(to: S.self, capacity: 2 * amplitudes)
            let state = StateView(re: re, im: re + amplitudes, qubits: program.qubitCount)
            state.re.update(repeating: 0, count: state.count)
            state.im.update(repeating: 0, count: state.count)
            state.re[0] = 1
            try apply(plan.block.gates, to: state, limits: limits, resources: resources, statistics: &statistics)
            return try sample(state, plan, program, shots: shots, seed: seed, maxResultBytes: maxResultBytes, statistics: &statistics)
        }
        return (counts, statistics)
    }

    /// As `ExecutionContext.apply` runs a block: stages of at most `StagePlanner.maxGatesPerStage` gates, the
    /// time limit checked before each.
    private static func apply<S: StateScalar>(
        _ gates: [CompiledGate], to state: StateView<S>, limits: RunLimits, resources: EngineResources,
        statistics: inout SimulationStatistics
    ) throws(SimulationError) {
        guard state.qubits < LaneLayout.bits else {
            var context = ExecutionContext<S>(limits: limits, resources: resources, statistics: statistics)
            try context.apply(gates: gates, to: state)
            statistics = context.statistics
            return
        }
        // Below lane width, a stage over the whole state applies each gate, in its own numbering, with the scalar
        // kernels: the same calls without the plan.
        var start = 0
        while start < gates.count {
            try limits.check()
            let end = min(gates.count, start + StagePlanner.maxGatesPerStage)
            for index in start..<end { GateKernels.apply(gates[index], to: state) }
            statistics.fusedBlocks += end - start
            statistics.memoryPasses += 1
            start = end
        }
    }

    /// As `BranchingExecutor.finish` samples a branch's terminal measurements.
    private static func sample<S: StateScalar>(
        _ state: StateView<S>, _ plan: TerminalPlan, _ program: Program, shots: Int, seed: UInt64, maxResultBytes: Int,
        statistics: inout SimulationStatistics
    ) throws(SimulationError) -> [String: Int] {
        guard shots > 0 else { return [:] }
        let keyBytes = program.formatter.characters.count
        let maxOutcomes = maxResultBytes / max(1, keyBytes)
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: program.bitCount + keyBytes + state.count) {
            table throws(SimulationError) -> [String: Int] in
            // The qubit each bit ends up holding (-1: never written, reads 0), then each key character's qubit
            // (-2: a register separator), then the shots per measured pattern.
            let qubitOfBit = table.baseAddress!, characterQubit = qubitOfBit + program.bitCount
            let patternShots = characterQubit + keyBytes
            qubitOfBit.initialize(repeating: -1, count: program.bitCount)
            for measurement in plan.measurements { qubitOfBit[measurement.bit] = measurement.qubit }
            for (position, character) in program.formatter.characters.enumerated() {
                characterQubit[position] = character.map { qubitOfBit[$0] } ?? -2
            }
            patternShots.initialize(repeating: 0, count: state.count)
            if plan.measurements.isEmpty {
                patternShots[0] = shots
            } else {
                // Outcomes that differ only in unmeasured qubits share a key.
                let mask = plan.measurements.reduce(0) { $0 | (1 << $1.qubit) }
                var rng = Xoshiro256(seed: seed)
                OutcomeSampler.sampleMultinomial(state, shots: shots, using: &rng) { index, count in
                    patternShots[index & mask] += count
                }
                statistics.memoryPasses += 1
            }
            var outcomes = 0
            for pattern in 0..<state.count where patternShots[pattern] > 0 { outcomes += 1 }
            var counts: [String: Int] = [:]
            counts.reserveCapacity(outcomes)
            for pattern in 0..<state.count where patternShots[pattern] > 0 {
                let key = String(unsafeUninitializedCapacity: keyBytes) { bytes in
                    for position in 0..<keyBytes {
                        let qubit = characterQubit[position]
                        bytes[position] = qubit == -2
                            ? UInt8(ascii: " ") : qubit >= 0 && (pattern >> qubit) & 1 == 1 ? UInt8(ascii: "1") : UInt8(ascii: "0")
                    }
                    return keyBytes
                }
                counts[key, default: 0] += patternShots[pattern]
                if counts.count > maxOutcomes {
                    throw .resultTooLarge(outcomes: maxOutcomes, keyBytes: keyBytes, limitBytes: maxResultBytes)
                }
            }
            return counts
        }
    }
}
