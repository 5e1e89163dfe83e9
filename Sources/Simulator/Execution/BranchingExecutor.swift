/// Follows a program shot branch by shot branch: at each measurement the branch's shots are split binomially,
/// each part continues on its own collapsed copy of the state, depth first; terminal measurements are sampled
/// together. In exact mode every outcome is followed with its probability instead. `S` is the amplitudes' type.
struct BranchingExecutor<S: StateScalar> {
    enum Mode { case sample, exact }

    /// Exact mode drops outcome paths less likely than this (they cannot move any probability by 1e-12).
    static var exactPruneWeight: Double { 1e-16 }
    /// Exact mode refuses programs that need more outcome paths than this.
    static var exactBranchLimit: Int { 1 << 16 }

    let program: Program
    let mode: Mode
    var context: ExecutionContext<S>
    private(set) var counts: [String: Int] = [:]
    private(set) var distribution: [String: Double] = [:]
    private let space: StateSpace
    private let maxResultBytes: Int
    /// Distinct keys the result may hold: every key has the same length, so the result-size limit is a count.
    private let maxOutcomes: Int

    init(program: Program, mode: Mode, context: ExecutionContext<S>, maxResultBytes: Int) {
        self.program = program
        self.mode = mode
        self.context = context
        space = StateSpace(resources: context.resources, qubits: program.qubitCount)
        self.maxResultBytes = maxResultBytes
        maxOutcomes = maxResultBytes / max(1, program.formatter.characters.count)
    }

    mutating func run(shots: Int, seed: UInt64) throws(SimulationError) {
        let qubits = program.qubitCount
        // Waits here while other runs of the process hold the memory this state needs.
        var working = try context.pool.acquireWorking(qubits: qubits, precision: S.precision, limits: context.limits)
        var stack = [Branch(
            pc: 0, shots: shots, weight: 1, rng: Xoshiro256(seed: seed), classical: ClassicalState(program: program),
            path: [], snapshot: nil
        )]
        defer {
            context.pool.release(working)
            for branch in stack { if let snapshot = branch.snapshot { context.pool.release(snapshot) } }
        }
        while var branch = stack.popLast() {
            try context.limits.check()
            context.statistics.branches += 1
            if mode == .exact && context.statistics.branches > Self.exactBranchLimit {
                throw .invalidCircuit("following every measurement outcome needs more than \(Self.exactBranchLimit) branches.")
            }
            if let snapshot = branch.snapshot {
                context.pool.release(working)
                working = snapshot
                branch.snapshot = nil
            } else {
                try replay(branch, on: working)
            }
            try follow(&branch, on: working.view(qubits: qubits, as: S.self), pending: &stack)
        }
    }

    /// Runs one branch to the end of the program, pushing the other outcome of every split onto `pending`.
    private mutating func follow(_ branch: inout Branch, on state: StateView<S>, pending: inout [Branch]) throws(SimulationError) {
        let operations = program.operations
        while branch.pc < program.terminalStart {
            switch operations[branch.pc] {
            case let .measure(qubit, bit):
                guard try measure(&branch, qubit: qubit, bit: bit, on: state, pending: &pending) else { return }
            case let .reset(qubit):
                guard try measure(&branch, qubit: qubit, bit: nil, on: state, pending: &pending) else { return }
            case .end:
                try record(branch, key: program.formatter.key(bits: branch.classical.bits))
                return
            default:
                try step(&branch.pc, &branch.classical, on: state)
            }
        }
        try finish(&branch, on: state)
    }

    /// Measurement or reset (`bit == nil`) with a split of the branch when both outcomes occur.
    /// Returns false when the branch is dropped (exact mode, negligible probability).
    private mutating func measure(
        _ branch: inout Branch, qubit: Int, bit: Int?, on state: StateView<S>, pending: inout [Branch]
    ) throws(SimulationError) -> Bool {
        let weights = space.outcomeWeights(state, qubit: qubit)
        let p1 = weights.one / (weights.zero + weights.one)
        context.statistics.memoryPasses += 1
        var outcome: UInt8
        switch mode {
        case .sample:
            let ones = Binomial.sample(trials: branch.shots, probability: p1, using: &branch.rng)
            if ones > 0 && ones < branch.shots {
                var other = branch
                other.shots = ones
                other.rng = branch.rng.split()
                split(&other, qubit: qubit, bit: bit, weights: weights, from: state, pending: &pending)
                branch.shots -= ones
                outcome = 0
            } else {
                outcome = ones > 0 ? 1 : 0
            }
        case .exact:
            let w1 = branch.weight * p1, w0 = branch.weight * weights.zero / (weights.zero + weights.one)
            if w1 >= Self.exactPruneWeight && w0 >= Self.exactPruneWeight {
                var other = branch
                other.weight = w1
                split(&other, qubit: qubit, bit: bit, weights: weights, from: state, pending: &pending)
                branch.weight = w0
                outcome = 0
            } else if max(w0, w1) >= Self.exactPruneWeight {
                outcome = w1 > w0 ? 1 : 0
                branch.weight = outcome == 1 ? w1 : w0
            } else {
                return false
            }
        }
        settle(state, qubit: qubit, outcome: outcome, weights: weights, reset: bit == nil)
        if let bit { branch.classical.bits[bit] = outcome == 1 }
        branch.path.append(outcome)
        branch.pc += 1
        return true
    }

    /// Prepares the outcome-1 half of a split and queues it.
    private mutating func split(
        _ other: inout Branch, qubit: Int, bit: Int?, weights: (zero: Double, one: Double), from state: StateView<S>,
        pending: inout [Branch]
    ) {
        if let bit { other.classical.bits[bit] = true }
        other.path.append(1)
        other.pc += 1
        if let copy = context.pool.acquire(qubits: program.qubitCount, precision: S.precision) {
            let view = copy.view(qubits: program.qubitCount, as: S.self)
            space.copy(state, to: view)
            settle(view, qubit: qubit, outcome: 1, weights: weights, reset: bit == nil)
            context.statistics.memoryPasses += 2
            other.snapshot = copy
        }
        pending.append(other)
    }

    private mutating func settle(
        _ state: StateView<S>, qubit: Int, outcome: UInt8, weights: (zero: Double, one: Double), reset: Bool
    ) {
        space.collapse(state, qubit: qubit, outcome: Int(outcome), weight: outcome == 1 ? weights.one : weights.zero)
        if reset && outcome == 1 { space.moveOneToZero(state, qubit: qubit) }
        context.statistics.memoryPasses += reset && outcome == 1 ? 2 : 1
    }

    /// Rebuilds a branch's state from |0…0⟩ by re-running the program with its recorded outcomes.
    private mutating func replay(_ branch: Branch, on buffer: StateBuffer) throws(SimulationError) {
        let state = buffer.basisStateView(qubits: program.qubitCount, space: space, as: S.self)
        var pc = 0
        var classical = ClassicalState(program: program)
        var event = 0
        while event < branch.path.count {
            switch program.operations[pc] {
            case let .measure(qubit, _), let .reset(qubit):
                let weights = space.outcomeWeights(state, qubit: qubit)
                let outcome = branch.path[event]
                var isReset = false
                if case let .measure(_, bit) = program.operations[pc] {
                    classical.bits[bit] = outcome == 1
                } else {
                    isReset = true
                }
                settle(state, qubit: qubit, outcome: outcome, weights: weights, reset: isReset)
                event += 1
                pc += 1
            default:
                try step(&pc, &classical, on: state)
            }
        }
        precondition(pc == branch.pc, "replay diverged from the recorded branch")
    }

    /// Every operation except measurement and reset.
    private mutating func step(_ pc: inout Int, _ classical: inout ClassicalState, on state: StateView<S>) throws(SimulationError) {
        switch program.operations[pc] {
        case let .unitary(index):
            try context.apply(block: index, of: program, to: state)
            pc += 1
        case let .runtimeGate(application):
            try context.apply(gate: CompiledGate(try classical.resolve(application)), to: state)
            pc += 1
        case let .runtimeBlock(block):
            for gate in try classical.resolve(block) { try context.apply(gate: CompiledGate(gate), to: state) }
            pc += 1
        case let .assign(variable, value):
            classical.variables[variable] = try classical.value(of: value)
            pc += 1
        case let .assignBit(bit, value):
            classical.bits[bit] = try classical.truth(of: value)
            pc += 1
        case let .jumpUnless(condition, target):
            pc = try classical.truth(of: condition) ? pc + 1 : target
        case let .jump(target):
            pc = target
        case let .loopEnter(slot):
            classical.loopCounters[slot] = 0
            pc += 1
        case let .loopTest(condition, slot, maxIterations, exit):
            guard try classical.truth(of: condition) else {
                pc = exit
                return
            }
            classical.loopCounters[slot] += 1
            if classical.loopCounters[slot] > maxIterations { throw .loopLimitExceeded(iterations: maxIterations) }
            try context.limits.check()
            pc += 1
        case .measure, .reset, .end:
            preconditionFailure("measurements and ends are handled by the caller")
        }
    }

    /// Counts a branch that stopped at `end;` (its bits are final; no measurement remains).
    private mutating func record(_ branch: Branch, key: String) throws(SimulationError) {
        switch mode {
        case .sample:
            if branch.shots > 0 { try add(branch.shots, to: key) }
        case .exact:
            try add(probability: branch.weight, to: key)
        }
    }

    /// Adds shots to an outcome; refuses one outcome too many for the result-size limit, so a hostile program
    /// fails after formatting at most one key past the limit instead of filling memory with them.
    private mutating func add(_ shots: Int, to key: String) throws(SimulationError) {
        counts[key, default: 0] += shots
        try checkResultSize(outcomes: counts.count)
    }

    private mutating func add(probability: Double, to key: String) throws(SimulationError) {
        distribution[key, default: 0] += probability
        try checkResultSize(outcomes: distribution.count)
    }

    private func checkResultSize(outcomes: Int) throws(SimulationError) {
        if outcomes > maxOutcomes {
            throw .resultTooLarge(outcomes: maxOutcomes, keyBytes: program.formatter.characters.count, limitBytes: maxResultBytes)
        }
        // Building many keys takes a while too: honour the time limit and cancellation as gates do.
        if outcomes % 1024 == 0 { try context.limits.check() }
    }

    /// The rest of the program is measurements only: draw them all at once from the branch's state.
    private mutating func finish(_ branch: inout Branch, on state: StateView<S>) throws(SimulationError) {
        var measurements: [Measurement] = []
        for operation in program.operations[branch.pc...] {
            if case let .measure(qubit, bit) = operation { measurements.append(Measurement(qubit: qubit, bit: bit)) }
        }
        let mask = measurements.reduce(0) { $0 | (1 << $1.qubit) }
        func key(_ index: Int) -> String {
            var bits = branch.classical.bits
            for m in measurements { bits[m.bit] = (index >> m.qubit) & 1 == 1 }
            return program.formatter.key(bits: bits)
        }
        switch mode {
        case .sample:
            guard branch.shots > 0 else { return }
            if measurements.isEmpty {
                try add(branch.shots, to: key(0))
                return
            }
            var patterns: [Int: Int] = [:]
            for (index, count) in OutcomeSampler.sample(state, shots: branch.shots, space: space, using: &branch.rng) {
                patterns[index & mask, default: 0] += count
            }
            context.statistics.memoryPasses += 1
            for (pattern, count) in patterns { try add(count, to: key(pattern)) }
        case .exact:
            if measurements.isEmpty {
                try add(probability: branch.weight, to: key(0))
                return
            }
            for (pattern, p) in MarginalDistribution.compute(state, measuredMask: mask) {
                try add(probability: branch.weight * p, to: key(pattern))
            }
            context.statistics.memoryPasses += 1
        }
    }
}
