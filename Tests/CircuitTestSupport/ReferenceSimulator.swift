import QASM

/// A small exact simulator, independent of the engine, for the front-end and engine tests: plain matrix-vector
/// products per gate, and every measurement branch followed with its probability, so dynamic programs get exact
/// outcome distributions too. (The engine tests once had a second, gates-only copy; this one covers all of the IR.)
public struct ReferenceSimulator: Sendable {
    public struct Branch: Sendable {
        public var amplitudes: [Complex]
        public var bits: [Bool]
        public var variables: [ClassicalValue]
        public var probability: Double
    }

    enum Signal { case none, breakLoop, continueLoop, ended }

    public let circuit: Circuit

    public init(circuit: Circuit) { self.circuit = circuit }

    /// Final state of a program without measurement (global phase included). Gates need not be unitary: both
    /// sides of an engine comparison are plain linear algebra.
    public static func statevector(_ circuit: Circuit) throws -> [Complex] {
        let sim = ReferenceSimulator(circuit: circuit)
        let branches = try sim.run()
        return branches[0].amplitudes
    }

    /// Outcome key → probability, keys formatted like Qiskit's counts.
    public static func distribution(_ circuit: Circuit) throws -> [String: Double] {
        let sim = ReferenceSimulator(circuit: circuit)
        var result: [String: Double] = [:]
        for branch in try sim.run() {
            if circuit.measuresAllQubitsImplicitly {
                for (index, amplitude) in branch.amplitudes.enumerated() where amplitude.magnitudeSquared > 0 {
                    var key = ""
                    for q in stride(from: circuit.qubitCount - 1, through: 0, by: -1) { key += (index >> q) & 1 == 1 ? "1" : "0" }
                    result[key, default: 0] += branch.probability * amplitude.magnitudeSquared
                }
            } else {
                let key = circuit.registers.reversed().map { register in
                    String((0..<register.size).reversed().map { branch.bits[register.offset + $0] ? "1" : "0" })
                }.joined(separator: " ")
                result[key, default: 0] += branch.probability
            }
        }
        return result
    }

    /// Every branch at the end of the program, with its probability.
    public func run() throws -> [Branch] {
        var amplitudes = [Complex](repeating: .zero, count: 1 << circuit.qubitCount)
        amplitudes[0] = .one
        let start = Branch(amplitudes: amplitudes, bits: Array(repeating: false, count: circuit.bitCount),
                           variables: circuit.initialVariables, probability: 1)
        return try execute(circuit.instructions, [start]).map(\.0)
    }

    private func execute(_ instructions: [Instruction], _ branches: [Branch]) throws -> [(Branch, Signal)] {
        var active = branches.map { ($0, Signal.none) }
        for instruction in instructions {
            var next: [(Branch, Signal)] = []
            for (branch, signal) in active {
                if signal != .none { next.append((branch, signal)); continue }
                next += try step(instruction, branch)
            }
            active = next.filter { $0.0.probability > 1e-14 }
        }
        return active
    }

    private func step(_ instruction: Instruction, _ input: Branch) throws -> [(Branch, Signal)] {
        var branch = input
        switch instruction {
        case .gate(let g):
            apply(g, &branch.amplitudes)
        case .runtimeGate(let g):
            apply(try g.resolved(bit: { branch.bits[$0] }, variables: branch.variables), &branch.amplitudes)
        case .runtimeBlock(let block):
            let resolved = try block.resolved(bit: { branch.bits[$0] }, variables: branch.variables)
            for g in resolved.gates { apply(g, &branch.amplitudes) }
            let f = Complex.phase(resolved.globalPhase)
            branch.amplitudes = branch.amplitudes.map { f * $0 }
        case .end:
            return [(branch, .ended)]
        case .globalPhase(let angle):
            let f = Complex.phase(angle)
            branch.amplitudes = branch.amplitudes.map { f * $0 }
        case .measure(let qubit, let bit):
            return project(branch, qubit).map { (outcome, b) in
                var b = b
                b.bits[bit] = outcome
                return (b, .none)
            }
        case .reset(let qubit):
            return project(branch, qubit).map { (outcome, b) in
                var b = b
                if outcome { flip(qubit, &b.amplitudes) }
                return (b, .none)
            }
        case .barrier:
            break
        case .assign(let variable, let value):
            branch.variables[variable] = try evaluate(value, branch)
        case .assignBit(let bit, let value):
            branch.bits[bit] = try evaluate(value, branch).isTruthy
        case .ifElse(let condition, let then, let otherwise):
            return try execute(try evaluate(condition, branch).isTruthy ? then : otherwise, [branch])
        case .whileLoop(let condition, let body, let maxIterations):
            var pending = [branch]
            var finished: [(Branch, Signal)] = []
            var iterations = 0
            while !pending.isEmpty {
                iterations += 1
                if iterations > maxIterations { throw ReferenceError.loopLimit }
                var continuing: [Branch] = []
                for b in pending {
                    if try evaluate(condition, b).isTruthy { continuing.append(b) } else { finished.append((b, .none)) }
                }
                pending = []
                for (b, signal) in try execute(body, continuing) {
                    switch signal {
                    case .breakLoop: finished.append((b, .none))
                    case .ended: finished.append((b, .ended))
                    default: pending.append(b)
                    }
                }
            }
            return finished
        case .breakLoop:
            return [(branch, .breakLoop)]
        case .continueLoop:
            return [(branch, .continueLoop)]
        }
        return [(branch, .none)]
    }

    private func evaluate(_ expression: ClassicalExpression, _ branch: Branch) throws -> ClassicalValue {
        try expression.evaluate(bit: { branch.bits[$0] }, variables: branch.variables)
    }

    private func project(_ branch: Branch, _ qubit: Int) -> [(Bool, Branch)] {
        var results: [(Bool, Branch)] = []
        for outcome in [false, true] {
            var b = branch
            var p = 0.0
            for i in b.amplitudes.indices {
                if ((i >> qubit) & 1 == 1) != outcome { b.amplitudes[i] = .zero } else { p += b.amplitudes[i].magnitudeSquared }
            }
            guard p > 1e-14 else { continue }
            let scale = 1 / p.squareRoot()
            b.amplitudes = b.amplitudes.map { scale * $0 }
            b.probability *= p
            results.append((outcome, b))
        }
        return results
    }

    private func flip(_ qubit: Int, _ amplitudes: inout [Complex]) {
        for i in amplitudes.indices where (i >> qubit) & 1 == 0 { amplitudes.swapAt(i, i | 1 << qubit) }
    }

    private func apply(_ g: GateApplication, _ amplitudes: inout [Complex]) {
        let k = g.targets.count
        let size = 1 << k
        var targetMask = 0
        for t in g.targets { targetMask |= 1 << t }
        var controlMask = 0, controlValue = 0
        for (c, v) in zip(g.controls, g.controlValues) {
            controlMask |= 1 << c
            if v { controlValue |= 1 << c }
        }
        for base in amplitudes.indices where base & targetMask == 0 && base & controlMask == controlValue {
            var indices = [Int](repeating: base, count: size)
            for local in 0..<size {
                for (j, t) in g.targets.enumerated() where local & (1 << j) != 0 { indices[local] |= 1 << t }
            }
            let input = indices.map { amplitudes[$0] }
            for row in 0..<size {
                var sum = Complex.zero
                for column in 0..<size { sum = sum + g.matrix[row, column] * input[column] }
                amplitudes[indices[row]] = sum
            }
        }
    }
}

public enum ReferenceError: Error { case loopLimit }
