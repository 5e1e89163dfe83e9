/// Splits a block's gates, in order, into stages whose target qubits fit in one chunk (greedy: a stage closes
/// when the next gate would need one qubit too many), then renumbers each gate into its chunk's qubits.
enum StagePlanner {
    /// The lowest qubits always stay inside a chunk, so gathering copies runs of at least 2^reservedLowQubits
    /// amplitudes (whole cache lines) even when the stage's targets are scattered.
    static let reservedLowQubits = 5
    /// Stages end after this many gates, so time limits and cancellation are checked at least that often.
    static let maxGatesPerStage = 256

    /// `inPlaceStateLimitBytes`: the largest state whose contiguous chunks are worked on in place (larger ones are
    /// copied out like the others; see `EngineResources.inPlaceStateLimitBytes`).
    static func plan<S: StateScalar>(
        _ gates: [CompiledGate], qubits: Int, chunkQubits: Int, inPlaceStateLimitBytes: Int = .max, as _: S.Type = S.self
    ) -> [Stage<S>] {
        // A chunk must hold the widest gate; the reserved low qubits must leave room for it.
        var widest = 0
        for gate in gates { widest = max(widest, gate.targets.count) }
        let c = min(qubits, max(chunkQubits, widest))
        if c == qubits {
            // The whole state is one chunk: gates keep their numbering.
            let all = Array(0..<qubits)
            let stageGates = gates.map { gate in
                StageGate<S>(
                    local: gate, lane: qubits >= LaneLayout.bits ? LaneGate<S>(gate) : nil, chunkControlMask: 0, chunkControlValues: 0
                )
            }
            return stride(from: 0, to: stageGates.count, by: maxGatesPerStage).map { start in
                Stage(
                    localQubits: all, chunkQubits: [], gates: Array(stageGates[start..<min(stageGates.count, start + maxGatesPerStage)]),
                    inPlace: true, pieceLength: 1 << qubits, pieceOffsets: [0]
                )
            }
        }
        let reserved = qubits > c ? (1 << max(0, min(reservedLowQubits, c - widest))) - 1 : 0
        let everything = (1 << qubits) - 1
        var stages: [Stage<S>] = []
        var pending = Array(gates.indices)
        while !pending.isEmpty {
            // Take gates in order; a gate that does not fit is left for a later stage, and so is every later
            // gate sharing a qubit with it (so only commuting gates move ahead of it).
            var targetMask = reserved
            var blocked = 0
            var taken: [CompiledGate] = []
            var left: [Int] = []
            for (position, index) in pending.enumerated() {
                let gate = gates[index]
                let qubitMask = gate.qubitMask
                let mask = gate.targets.reduce(0) { $0 | (1 << $1) }
                if qubitMask & blocked == 0 && (taken.isEmpty || (targetMask | mask).nonzeroBitCount <= c) {
                    taken.append(gate)
                    targetMask |= mask
                    if taken.count == maxGatesPerStage {
                        left += pending[(position + 1)...]
                        break
                    }
                } else {
                    blocked |= qubitMask
                    left.append(index)
                    if blocked & everything == everything {
                        left += pending[(position + 1)...]
                        break
                    }
                }
            }
            stages.append(stage(taken, targetMask: targetMask, qubits: qubits, chunkQubits: c, inPlaceStateLimitBytes: inPlaceStateLimitBytes))
            pending = left
        }
        return stages
    }

    private static func stage<S: StateScalar>(
        _ gates: [CompiledGate], targetMask: Int, qubits: Int, chunkQubits c: Int, inPlaceStateLimitBytes: Int
    ) -> Stage<S> {
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
            return StageGate<S>(
                local: localGate, lane: c >= LaneLayout.bits ? LaneGate<S>(localGate) : nil,
                chunkControlMask: chunkMask, chunkControlValues: chunkValues
            )
        }
        var contiguous = 0
        while contiguous < c && local[contiguous] == contiguous { contiguous += 1 }
        let pieceOffsets = contiguous == c ? [0] : (0..<(1 << (c - contiguous))).map { deposit($0 << contiguous, into: local) }
        // Contiguous chunks of a large state are copied out too: worked on in place, a 16-qubit chunk's real and
        // imaginary parts (half the state apart) were evicted between the stage's gates once the state reached
        // 512 MiB on this machine's AMD EPYC (a QFT-26 stage of 256 gates: 8.7 s, at 25 qubits 0.56 s), while a
        // chunk in its own buffer stays in L2. Below the limit in place is as fast and skips the copies.
        let inPlace = contiguous == c && StateBuffer.byteCount(qubits: qubits, precision: S.precision) <= inPlaceStateLimitBytes
        return Stage(
            localQubits: local, chunkQubits: outside, gates: stageGates, inPlace: inPlace,
            pieceLength: 1 << contiguous, pieceOffsets: pieceOffsets
        )
    }
}
