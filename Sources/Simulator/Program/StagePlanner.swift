/// Splits a block's gates, in order, into stages whose target qubits fit in one chunk (greedy: a stage closes
/// when the next gate would need one qubit too many), then renumbers each gate into its chunk's qubits.
enum StagePlanner {
    /// The lowest qubits always stay inside a chunk, so gathering copies runs of at least 2^reservedLowQubits
    /// amplitudes (whole cache lines) even when the stage's targets are scattered.
    static let reservedLowQubits = 5

    static func plan(_ gates: [CompiledGate], qubits: Int, chunkQubits: Int) -> [Stage] {
        let c = min(chunkQubits, qubits)
        let reserved = qubits > c ? (1 << min(reservedLowQubits, c)) - 1 : 0
        var stages: [Stage] = []
        var current: [CompiledGate] = []
        var targetMask = reserved
        for gate in gates {
            let mask = gate.targets.reduce(0) { $0 | (1 << $1) }
            if !current.isEmpty && (targetMask | mask).nonzeroBitCount > c {
                stages.append(stage(current, targetMask: targetMask, qubits: qubits, chunkQubits: c))
                current = []
                targetMask = reserved
            }
            current.append(gate)
            targetMask |= mask
        }
        if !current.isEmpty { stages.append(stage(current, targetMask: targetMask, qubits: qubits, chunkQubits: c)) }
        return stages
    }

    private static func stage(_ gates: [CompiledGate], targetMask: Int, qubits: Int, chunkQubits c: Int) -> Stage {
        // Fill the chunk with the lowest remaining qubits: long contiguous pieces make gathering cheap.
        var localMask = targetMask
        var q = 0
        while localMask.nonzeroBitCount < c {
            localMask |= 1 << q
            q += 1
        }
        let local = (0..<qubits).filter { localMask & (1 << $0) != 0 }
        let outside = (0..<qubits).filter { localMask & (1 << $0) == 0 }
        var position = [Int](repeating: -1, count: qubits)
        for (index, qubit) in local.enumerated() { position[qubit] = index }
        let stageGates = gates.map { gate in
            var localGate = gate
            localGate.targets = gate.targets.map { position[$0] }
            var controlMask = 0, controlValues = 0, chunkMask = 0, chunkValues = 0
            for qubit in gate.controlQubits {
                let value = gate.controlValues & (1 << qubit) != 0
                if position[qubit] >= 0 {
                    controlMask |= 1 << position[qubit]
                    if value { controlValues |= 1 << position[qubit] }
                } else {
                    chunkMask |= 1 << qubit
                    if value { chunkValues |= 1 << qubit }
                }
            }
            localGate.controlMask = controlMask
            localGate.controlValues = controlValues
            return StageGate(
                local: localGate, lane: c >= LaneLayout.bits ? LaneGate(localGate) : nil,
                chunkControlMask: chunkMask, chunkControlValues: chunkValues
            )
        }
        var contiguous = 0
        while contiguous < c && local[contiguous] == contiguous { contiguous += 1 }
        let pieceOffsets = contiguous == c ? [0] : (0..<(1 << (c - contiguous))).map { deposit($0 << contiguous, into: local) }
        return Stage(
            localQubits: local, chunkQubits: outside, gates: stageGates, inPlace: contiguous == c,
            pieceLength: 1 << contiguous, pieceOffsets: pieceOffsets
        )
    }
}
