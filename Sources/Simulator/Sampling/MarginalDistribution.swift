/// Exact probabilities of the measured qubits' values, for `Simulator.probabilities` and exact branching.
enum MarginalDistribution {
    /// (index, probability) where `index` has the measured qubits' values in place and every other bit zero.
    static func compute<S: StateScalar>(_ state: StateView<S>, measuredMask: Int) -> [(index: Int, probability: Double)] {
        let allQubits = state.count - 1
        if measuredMask & allQubits == allQubits {
            var result: [(index: Int, probability: Double)] = []
            for i in 0..<state.count {
                let p = state.probability(i)
                if p > 0 { result.append((i, p)) }
            }
            return result
        }
        var sums: [Int: Double] = [:]
        for i in 0..<state.count {
            let p = state.probability(i)
            if p > 0 { sums[i & measuredMask, default: 0] += p }
        }
        return sums.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
