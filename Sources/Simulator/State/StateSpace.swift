#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Whole-vector operations (qsim's "state space" layer): preparation, copies, measurement, collapse.
/// Work is cut into fixed blocks of amplitudes; workers take whole blocks and sums are combined block by block
/// in index order, so every result is bit-for-bit the same whatever the number of threads.
struct StateSpace {
    let workers: WorkerPool?
    /// Amplitudes per block (log2): the unit of work sharing and of partial sums.
    let blockQubits: Int
    /// States up to this size are sampled from a cumulative table; larger ones by streaming over block sums.
    let tableQubits: Int

    init(resources: EngineResources, qubits: Int) {
        workers = resources.workers(forQubits: qubits)
        blockQubits = resources.blockQubits
        tableQubits = resources.tableQubits
    }

    /// Calls `body(block, range)` for every block of `state`, spread over the workers.
    func forEachBlock<S: StateScalar>(_ state: StateView<S>, _ body: (Int, Range<Int>) -> Void) {
        forEachBlock(state, blockQubits: blockQubits, body)
    }

    func forEachBlock<S: StateScalar>(_ state: StateView<S>, blockQubits: Int, _ body: (Int, Range<Int>) -> Void) {
        let size = 1 << min(blockQubits, state.qubits)
        let blocks = state.count / size
        func run(_ worker: Int, _ workerCount: Int) {
            for block in (blocks * worker / workerCount)..<(blocks * (worker + 1) / workerCount) {
                body(block, (block * size)..<((block + 1) * size))
            }
        }
        if let workers, blocks > 1 {
            let count = workers.activeWorkers
            workers.run { run($0, count) }
        } else {
            run(0, 1)
        }
    }

    /// Per-block results of `body`, in block order.
    func mapBlocks<S: StateScalar, T>(_ state: StateView<S>, blockQubits: Int, initial: T, _ body: (Range<Int>) -> T) -> [T] {
        let blocks = state.count / (1 << min(blockQubits, state.qubits))
        var results = [T](repeating: initial, count: blocks)
        results.withUnsafeMutableBufferPointer { out in
            let out = out
            forEachBlock(state, blockQubits: blockQubits) { block, range in out[block] = body(range) }
        }
        return results
    }

    @_specialize(where S == Double)
    @_specialize(where S == Float)
    func setBasisState<S: StateScalar>(_ state: StateView<S>, index: Int = 0) {
        forEachBlock(state) { _, range in
            (state.re + range.lowerBound).update(repeating: 0, count: range.count)
            (state.im + range.lowerBound).update(repeating: 0, count: range.count)
        }
        state.re[index] = 1
    }

    @_specialize(where S == Double)
    @_specialize(where S == Float)
    func copy<S: StateScalar>(_ source: StateView<S>, to target: StateView<S>) {
        precondition(source.qubits == target.qubits)
        forEachBlock(source) { _, range in
            (target.re + range.lowerBound).update(from: source.re + range.lowerBound, count: range.count)
            (target.im + range.lowerBound).update(from: source.im + range.lowerBound, count: range.count)
        }
    }

    /// Squared norms of the halves where `qubit` is 0 and 1. Both are measured (not 1 − the other) so rounding
    /// errors cannot compound over many collapses.
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    func outcomeWeights<S: StateScalar>(_ state: StateView<S>, qubit: Int) -> (zero: Double, one: Double) {
        let bit = 1 << qubit
        let partials = mapBlocks(state, blockQubits: blockQubits, initial: (0.0, 0.0)) { range in
            var zero = 0.0, one = 0.0
            for i in range {
                let r = Double(state.re[i]), m = Double(state.im[i])
                let p = r * r + m * m
                if i & bit == 0 { zero += p } else { one += p }
            }
            return (zero, one)
        }
        return partials.reduce((zero: 0.0, one: 0.0)) { (zero: $0.zero + $1.0, one: $0.one + $1.1) }
    }

    /// Keep the half where `qubit == outcome`, renormalised by its squared norm `weight`; zero the other half.
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    func collapse<S: StateScalar>(_ state: StateView<S>, qubit: Int, outcome: Int, weight: Double) {
        let scale = S(1 / weight.squareRoot())
        let bit = 1 << qubit, kept = outcome << qubit
        forEachBlock(state) { _, range in
            for i in range {
                let factor: S = i & bit == kept ? scale : 0
                state.re[i] *= factor
                state.im[i] *= factor
            }
        }
    }

    /// After a collapse to |1⟩: move the amplitudes to |0⟩ (the X part of reset).
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    func moveOneToZero<S: StateScalar>(_ state: StateView<S>, qubit: Int) {
        let bit = 1 << qubit
        forEachBlock(state) { _, range in
            for i in range where i & bit != 0 {
                state.re[i ^ bit] = state.re[i]
                state.im[i ^ bit] = state.im[i]
                state.re[i] = 0
                state.im[i] = 0
            }
        }
    }

    /// Multiply every amplitude by e^{i·angle}.
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    func applyGlobalPhase<S: StateScalar>(_ state: StateView<S>, angle: Double) {
        let c = S(cos(angle)), s = S(sin(angle))
        forEachBlock(state) { _, range in
            for i in range {
                let ar = state.re[i], ai = state.im[i]
                state.re[i] = c * ar - s * ai
                state.im[i] = c * ai + s * ar
            }
        }
    }

    /// Σ|amplitude|² over consecutive blocks of 2^blockQubits amplitudes.
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    func blockProbabilities<S: StateScalar>(_ state: StateView<S>, blockQubits: Int) -> [Double] {
        mapBlocks(state, blockQubits: blockQubits, initial: 0.0) { range in
            var sum = 0.0
            for i in range {
                let r = Double(state.re[i]), m = Double(state.im[i])
                sum += r * r + m * m
            }
            return sum
        }
    }
}
