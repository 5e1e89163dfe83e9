import QASM

/// Turns a `Circuit` into a `Program`, checking every index once so the hot paths need not.
struct ProgramBuilder {
    private var program: Program
    private let circuit: Circuit
    /// Open while loops, innermost last: where `continue` goes and the `break` jumps waiting for the exit.
    private var loops: [(test: Int, breaks: [Int])] = []
    /// Whether the last operation is a unitary block that later gates may join: a jump target or any other
    /// step in between closes it.
    private var blockOpen = false
    /// Qubits some earlier operation may have changed; a reset of any other qubit outside loops is a no-op
    /// (common `reset q;` preambles), and dropping it keeps the program free of needless measurement passes.
    private var touched = 0
    private var loopDepth = 0
    /// `end` in a program measured implicitly: jumps to the final measurement of every qubit, patched at the end.
    private var endJumps: [Int] = []

    static func build(_ circuit: Circuit) throws(SimulationError) -> Program {
        var builder = ProgramBuilder(circuit: circuit)
        return try builder.run()
    }

    private init(circuit: Circuit) {
        self.circuit = circuit
        // No classical bits: answer as if every qubit were measured at the end, qubit k into virtual bit k.
        let implicit = circuit.measuresAllQubitsImplicitly
        let bitCount = implicit ? circuit.qubitCount : circuit.bitCount
        let registers = implicit ? [ClassicalRegister(name: "meas", offset: 0, size: circuit.qubitCount)] : circuit.registers
        program = Program(
            qubitCount: circuit.qubitCount, bitCount: bitCount,
            formatter: OutcomeFormatter(registers: registers),
            initialVariables: circuit.initialVariables
        )
    }

    private mutating func run() throws(SimulationError) -> Program {
        guard circuit.qubitCount >= 0, circuit.qubitCount < Int.bitWidth - 8 else {
            throw .invalidCircuit("it declares \(circuit.qubitCount) qubits.")
        }
        // Straight-line programs need about one operation per instruction that is not a gate; a hint only.
        program.operations.reserveCapacity(min(circuit.instructions.count, 32) + (circuit.measuresAllQubitsImplicitly ? circuit.qubitCount : 0))
        for register in circuit.registers where register.offset < 0 || register.offset + register.size > circuit.bitCount {
            throw .invalidCircuit("classical register \(register.name) lies outside the \(circuit.bitCount) declared bits.")
        }
        guard circuit.initialVariables.count >= circuit.variableCount else {
            throw .invalidCircuit("it has \(circuit.variableCount) variables but \(circuit.initialVariables.count) initial values.")
        }
        try emit(circuit.instructions)
        for jump in endJumps { program.operations[jump] = .jump(program.operations.count) }
        if circuit.measuresAllQubitsImplicitly {
            for qubit in 0..<circuit.qubitCount { program.operations.append(.measure(qubit: qubit, bit: qubit)) }
        }
        var start = program.operations.count
        while start > 0, case .measure = program.operations[start - 1] { start -= 1 }
        program.terminalStart = start
        program.terminal = terminalPlan()
        return program
    }

    private mutating func emit(_ instructions: [Instruction]) throws(SimulationError) {
        for instruction in instructions {
            try emit(instruction)
        }
    }

    private mutating func emit(_ instruction: Instruction) throws(SimulationError) {
        try emitOperations(instruction)
        switch instruction {
        case .gate, .globalPhase, .barrier: break
        default: blockOpen = false
        }
    }

    private mutating func emitOperations(_ instruction: Instruction) throws(SimulationError) {
        switch instruction {
        case let .gate(application):
            try check(application)
            program.gateCount += 1
            let gate = CompiledGate(application)
            touched |= gate.qubitMask
            if !gate.isIdentity { currentBlock { $0.gates.append(gate) } }
        case let .runtimeGate(application):
            try check(application)
            program.gateCount += 1
            touched |= ([application.target] + application.controls).reduce(0) { $0 | (1 << $1) }
            program.operations.append(.runtimeGate(application))
        case let .runtimeBlock(block):
            try check(block)
            program.gateCount += 1
            touched |= block.qubits.reduce(0) { $0 | (1 << $1) }
            program.operations.append(.runtimeBlock(block))
        case .end where circuit.measuresAllQubitsImplicitly:
            // The shot still reports every qubit, as measured where the program stopped.
            endJumps.append(program.operations.count)
            program.operations.append(.jump(-1))
        case .end:
            program.operations.append(.end)
        case let .globalPhase(angle):
            currentBlock { $0.globalPhase += angle }
        case .barrier:
            break
        case let .measure(qubit, bit):
            try check(qubit: qubit)
            try check(bit: bit)
            touched |= 1 << qubit
            program.operations.append(.measure(qubit: qubit, bit: bit))
        case let .reset(qubit):
            try check(qubit: qubit)
            if loopDepth == 0 && touched & (1 << qubit) == 0 { break }
            touched |= 1 << qubit
            program.operations.append(.reset(qubit: qubit))
        case let .assign(variable, value):
            guard variable >= 0, variable < circuit.variableCount else {
                throw .invalidCircuit("it assigns variable slot \(variable) but declares \(circuit.variableCount).")
            }
            program.operations.append(.assign(variable: variable, value: value))
        case let .assignBit(bit, value):
            try check(bit: bit)
            program.operations.append(.assignBit(bit: bit, value: value))
        case let .ifElse(condition, then, otherwise):
            let test = program.operations.count
            program.operations.append(.jump(-1))
            try emit(then)
            if otherwise.isEmpty {
                program.operations[test] = .jumpUnless(condition, target: program.operations.count)
            } else {
                let skip = program.operations.count
                program.operations.append(.jump(-1))
                program.operations[test] = .jumpUnless(condition, target: program.operations.count)
                try emit(otherwise)
                program.operations[skip] = .jump(program.operations.count)
            }
        case let .whileLoop(condition, body, maxIterations):
            let slot = program.loopSlots
            program.loopSlots += 1
            program.operations.append(.loopEnter(slot: slot))
            let test = program.operations.count
            program.operations.append(.jump(-1))
            loops.append((test: test, breaks: []))
            loopDepth += 1
            try emit(body)
            loopDepth -= 1
            program.operations.append(.jump(test))
            let exit = program.operations.count
            program.operations[test] = .loopTest(condition, slot: slot, maxIterations: maxIterations, exit: exit)
            for jump in loops.removeLast().breaks { program.operations[jump] = .jump(exit) }
        case .breakLoop:
            guard !loops.isEmpty else { throw .invalidCircuit("break appears outside a while loop.") }
            loops[loops.count - 1].breaks.append(program.operations.count)
            program.operations.append(.jump(-1))
        case .continueLoop:
            guard let loop = loops.last else { throw .invalidCircuit("continue appears outside a while loop.") }
            program.operations.append(.jump(loop.test))
        }
    }

    /// Appends to the unitary block under construction, opening one when the last step was not a unitary.
    private mutating func currentBlock(_ update: (inout UnitaryBlock) -> Void) {
        if blockOpen, case let .unitary(index)? = program.operations.last {
            update(&program.blocks[index])
        } else {
            var block = UnitaryBlock()
            // Room for a few gates at once: growing one by one reallocates at the second gate already.
            block.gates.reserveCapacity(8)
            update(&block)
            program.operations.append(.unitary(program.blocks.count))
            program.blocks.append(block)
            blockOpen = true
        }
    }

    private func check(_ application: GateApplication) throws(SimulationError) {
        try checkOperands(application.name, application.targets, application.controls, application.controlValues)
    }

    private func check(_ application: RuntimeGateApplication) throws(SimulationError) {
        try checkOperands(application.name, [application.target], application.controls, application.controlValues)
    }

    /// Qubits in range and distinct, one value per control.
    private func checkOperands(_ name: String, _ targets: [Int], _ controls: [Int], _ controlValues: [Bool]) throws(SimulationError) {
        for qubit in targets { try check(qubit: qubit) }
        for qubit in controls { try check(qubit: qubit) }
        // In range, so each is one bit of a mask (fewer than Int.bitWidth - 8 qubits).
        var used = 0
        for qubit in targets { used |= 1 << qubit }
        for qubit in controls { used |= 1 << qubit }
        guard used.nonzeroBitCount == targets.count + controls.count else {
            throw .invalidCircuit("gate \(name) uses a qubit twice.")
        }
        guard controlValues.count == controls.count else {
            throw .invalidCircuit("gate \(name) has \(controls.count) controls but \(controlValues.count) control values.")
        }
    }

    /// Each step as a gate would be checked; added controls distinct and apart from the qubits they control.
    private func check(_ block: RuntimeBlock) throws(SimulationError) {
        for step in block.steps {
            switch step {
            case let .gate(application):
                try check(application)
            case let .runtimeGate(application):
                try check(application)
            case let .block(inner):
                try check(inner)
            case .phase, .runtimePhase:
                break
            }
        }
        var used = RuntimeBlock(name: block.name, steps: block.steps, modifiers: []).qubits
        for case let .control(controls, _) in block.modifiers {
            for qubit in controls { try check(qubit: qubit) }
            guard Set(controls).count == controls.count, Set(controls).isDisjoint(with: used) else {
                throw .invalidCircuit("block \(block.name) is controlled by a qubit it already uses.")
            }
            used += controls
        }
        for case let .power(exponent) in block.modifiers where !exponent.isFinite {
            throw .invalidCircuit("block \(block.name) has a power that is not a finite number.")
        }
    }

    private func check(qubit: Int) throws(SimulationError) {
        guard qubit >= 0, qubit < circuit.qubitCount else {
            throw .invalidCircuit("qubit index \(qubit) is outside the \(circuit.qubitCount) declared qubits.")
        }
    }

    private func check(bit: Int) throws(SimulationError) {
        guard bit >= 0, bit < program.bitCount else {
            throw .invalidCircuit("classical bit index \(bit) is outside the \(program.bitCount) declared bits.")
        }
    }

    /// The single-unitary form, when no gate touches a qubit after it is measured and nothing classical happens.
    private func terminalPlan() -> TerminalPlan? {
        var block = UnitaryBlock()
        var measured = 0
        var measurementCount = 0
        for operation in program.operations {
            switch operation {
            case let .unitary(index):
                let run = program.blocks[index]
                for gate in run.gates where gate.qubitMask & measured != 0 { return nil }
                // The usual single block is shared, not copied.
                if block.gates.isEmpty { block.gates = run.gates } else { block.gates += run.gates }
                block.globalPhase += run.globalPhase
            case let .measure(qubit, _):
                measured |= 1 << qubit
                measurementCount += 1
            default:
                return nil
            }
        }
        // The last writer of each bit, in bit order (bits were checked to be in range).
        let bitCount = program.bitCount
        let measurements = withUnsafeTemporaryAllocation(of: Int.self, capacity: bitCount) { lastWriter in
            lastWriter.initialize(repeating: -1)
            for case let .measure(qubit, bit) in program.operations { lastWriter[bit] = qubit }
            var measurements: [Measurement] = []
            measurements.reserveCapacity(min(measurementCount, bitCount))
            for bit in 0..<bitCount where lastWriter[bit] >= 0 {
                measurements.append(Measurement(qubit: lastWriter[bit], bit: bit))
            }
            return measurements
        }
        return TerminalPlan(block: block, measurements: measurements)
    }
}
