#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Draws many shots from one state at once: O(2^n + shots), never one pass per shot.
enum OutcomeSampler {
    /// States of up to this many qubits are sampled outcome by outcome (binomially), never shot by shot.
    static let multinomialQubits = 6

    /// Basis indices drawn with probability |amplitude|², as (index, count) in ascending index order.
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    static func sample<S: StateScalar>(
        _ state: StateView<S>, shots: Int, space: StateSpace, using rng: inout Xoshiro256
    ) -> [(index: Int, count: Int)] {
        guard shots > 0 else { return [] }
        if state.qubits <= multinomialQubits { return sampleMultinomial(state, shots: shots, using: &rng) }
        return state.qubits <= space.tableQubits
            ? sampleSmall(state, shots: shots, using: &rng)
            : sampleStreaming(state, shots: shots, space: space, using: &rng)
    }

    /// Few outcomes: the count of each outcome is binomial given the shots left (conditional multinomial
    /// sampling), so the cost depends on the number of outcomes, not on the shots.
    private static func sampleMultinomial<S: StateScalar>(_ state: StateView<S>, shots: Int, using rng: inout Xoshiro256) -> [(index: Int, count: Int)] {
        var result: [(index: Int, count: Int)] = []
        sampleMultinomial(state, shots: shots, using: &rng) { result.append(($0, $1)) }
        return result
    }

    /// The same draws, handed to `body(index, count)` in ascending index order (counts above zero only), with
    /// the tables on the stack: a small run allocates nothing here.
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    static func sampleMultinomial<S: StateScalar>(
        _ state: StateView<S>, shots: Int, using rng: inout Xoshiro256, _ body: (Int, Int) -> Void
    ) {
        let count = state.count
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * count + 1) { table in
            // probabilities[i], then the mass still to be distributed from outcome i on, summed directly to
            // avoid cancellation.
            let probabilities = table.baseAddress!, remainingMass = probabilities + count
            for i in 0..<count { probabilities[i] = state.probability(i) }
            remainingMass[count] = 0
            for i in stride(from: count - 1, through: 0, by: -1) { remainingMass[i] = remainingMass[i + 1] + probabilities[i] }
            var left = shots
            for i in 0..<count where left > 0 && probabilities[i] > 0 {
                let drawn = remainingMass[i + 1] > 0
                    ? Binomial.sample(trials: left, probability: min(1, probabilities[i] / remainingMass[i]), using: &rng)
                    : left
                if drawn > 0 { body(i, drawn) }
                left -= drawn
            }
        }
    }

    /// Cumulative table and a binary search per shot: cheapest when the table fits in cache.
    private static func sampleSmall<S: StateScalar>(_ state: StateView<S>, shots: Int, using rng: inout Xoshiro256) -> [(index: Int, count: Int)] {
        let count = state.count
        var cumulative = [Double](repeating: 0, count: count)
        var running = 0.0
        var lastNonZero = 0
        for i in 0..<count {
            let p = state.probability(i)
            if p > 0 { lastNonZero = i }
            running += p
            cumulative[i] = running
        }
        var hits = [Int](repeating: 0, count: count)
        cumulative.withUnsafeBufferPointer { table in
            for _ in 0..<shots {
                let target = rng.nextUniform() * running
                // First index whose cumulative probability exceeds the target (never a zero-probability one).
                var low = 0, high = lastNonZero
                while low < high {
                    let middle = (low + high) >> 1
                    if table[middle] > target { high = middle } else { low = middle + 1 }
                }
                hits[low] += 1
            }
        }
        var result: [(index: Int, count: Int)] = []
        for (index, n) in hits.enumerated() where n > 0 { result.append((index, n)) }
        return result
    }

    /// Sorted uniforms (normalised exponential spacings) walked against block sums, then inside the few
    /// blocks that receive shots: one read of the state plus work proportional to the shots.
    private static func sampleStreaming<S: StateScalar>(
        _ state: StateView<S>, shots: Int, space: StateSpace, using rng: inout Xoshiro256
    ) -> [(index: Int, count: Int)] {
        let blockBits = min(12, space.blockQubits)
        let blockSize = 1 << blockBits
        let blockSums = space.blockProbabilities(state, blockQubits: blockBits)
        var total = 0.0
        var lastBlock = 0
        for (b, sum) in blockSums.enumerated() {
            total += sum
            if sum > 0 { lastBlock = b }
        }
        var spacings = [Double](repeating: 0, count: shots)
        var running = 0.0
        for k in 0..<shots {
            running -= log(rng.nextPositiveUniform())
            spacings[k] = running
        }
        let scale = total / (running - log(rng.nextPositiveUniform()))

        var result: [(index: Int, count: Int)] = []
        var block = 0
        var blockStart = 0.0
        var index = 0
        var inner = 0.0
        var enteredBlock = -1
        for k in 0..<shots {
            let target = spacings[k] * scale
            while block < lastBlock && blockStart + blockSums[block] <= target {
                blockStart += blockSums[block]
                block += 1
            }
            if enteredBlock != block {
                enteredBlock = block
                index = block * blockSize
                inner = blockStart
            }
            let end = min(state.count, (block + 1) * blockSize)
            while index < end - 1 {
                let p = state.probability(index)
                if p > 0 && inner + p > target { break }
                inner += p
                index += 1
            }
            var chosen = index
            while chosen > block * blockSize && state.re[chosen] == 0 && state.im[chosen] == 0 { chosen -= 1 }
            if let last = result.last, last.index == chosen {
                result[result.count - 1].count += 1
            } else {
                result.append((chosen, 1))
            }
        }
        return result
    }
}
