import QASM

/// A deliberately naive state-vector simulator (full matrix-vector per gate, index by index), used to check the
/// engine's kernels against an independent reading of the IR conventions.
enum ReferenceSimulator {
    static func statevector(_ circuit: Circuit) -> [Complex] {
        var state = [Complex](repeating: .zero, count: 1 << circuit.qubitCount)
        state[0] = .one
        for instruction in circuit.instructions {
            switch instruction {
            case let .gate(gate): state = apply(gate, to: state)
            case let .globalPhase(angle): state = state.map { Complex.phase(angle) * $0 }
            default: continue
            }
        }
        return state
    }

    static func apply(_ gate: GateApplication, to state: [Complex]) -> [Complex] {
        var result = state
        for index in state.indices {
            let controlsMatch = zip(gate.controls, gate.controlValues).allSatisfy { (index >> $0.0) & 1 == ($0.1 ? 1 : 0) }
            guard controlsMatch else { continue }
            var row = 0
            for (bit, qubit) in gate.targets.enumerated() where (index >> qubit) & 1 == 1 { row |= 1 << bit }
            var cleared = index
            for qubit in gate.targets { cleared &= ~(1 << qubit) }
            var sum = Complex.zero
            for column in 0..<gate.matrix.dimension {
                var source = cleared
                for (bit, qubit) in gate.targets.enumerated() where (column >> bit) & 1 == 1 { source |= 1 << qubit }
                sum = sum + gate.matrix[row, column] * state[source]
            }
            result[index] = sum
        }
        return result
    }
}
