import Synchronization

/// Runs one stage: every chunk is gathered (or used in place), has all the stage's gates applied while it is in
/// cache, and is written back. Chunks are independent, so workers split them; results never depend on the split.
enum StageExecutor {
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    static func run<S: StateScalar>(_ stage: Stage<S>, on state: StateView<S>, resources: EngineResources) throws(SimulationError) {
        let c = stage.localQubits.count
        let chunkCount = 1 << (state.qubits - c)
        let workers = resources.workers(forQubits: state.qubits)
        if chunkCount == 1, let workers, c >= LaneLayout.bits {
            runSplittingGates(stage, on: state, workers: workers, resources: resources)
            return
        }
        if chunkCount == 1, stage.inPlace, workers == nil {
            // One chunk on the calling thread (every small state): nothing to share, so no claims to allocate
            // (they were an eighth of a Bell task's instructions).
            apply(stage, chunkBase: 0, to: state, width: resources.laneWidth)
            return
        }
        let workerCount = workers?.activeWorkers ?? 1
        var buffers: [StateView<S>] = []
        if !stage.inPlace {
            guard let scratch: [StateView<S>] = resources.chunkBuffers(count: workerCount, qubits: c) else {
                throw .stateTooLarge(
                    qubits: c, bytes: workerCount * StateBuffer.byteCount(qubits: c, precision: S.precision), budgetBytes: resources.pool.budgetBytes
                )
            }
            buffers = scratch
        }
        // Each worker streams through its own contiguous share of the chunks, claiming them one at a time; when its
        // share is done it takes chunks from the others', so a worker that loses its core to another process does
        // not hold the rest up (chunks are independent: results never depend on who ran which).
        let claims = ChunkClaims(chunkCount: chunkCount, workers: workerCount)
        let body = { (worker: Int) in
            while let chunk = claims.next(worker: worker) {
                let base = deposit(chunk, into: stage.chunkQubits)
                if stage.inPlace {
                    apply(stage, chunkBase: base, to: StateView(re: state.re + base, im: state.im + base, qubits: c), width: resources.laneWidth)
                } else {
                    let local = StateView(re: buffers[worker].re, im: buffers[worker].im, qubits: c)
                    gather(stage, base: base, from: state, into: local)
                    apply(stage, chunkBase: base, to: local, width: resources.laneWidth)
                    scatter(stage, base: base, from: local, into: state)
                }
            }
        }
        if let workers { workers.run(body) } else { body(0) }
    }

    /// Unclaimed chunks of a stage: one cursor per worker's share, advanced atomically by whoever claims.
    private final class ChunkClaims: Sendable {
        private final class Share: Sendable {
            let next: Atomic<Int>
            let end: Int
            init(start: Int, end: Int) {
                next = Atomic(start)
                self.end = end
            }
        }

        private let shares: [Share]

        init(chunkCount: Int, workers: Int) {
            shares = (0..<workers).map { Share(start: chunkCount * $0 / workers, end: chunkCount * ($0 + 1) / workers) }
        }

        /// The worker's next chunk from its own share, else from the others' (nil when all are claimed).
        func next(worker: Int) -> Int? {
            for k in 0..<shares.count {
                let share = shares[(worker + k) % shares.count]
                if share.next.load(ordering: .relaxed) >= share.end { continue }
                let chunk = share.next.wrappingAdd(1, ordering: .relaxed).oldValue
                if chunk < share.end { return chunk }
            }
            return nil
        }
    }

    /// One chunk (the whole state, resident in the last-level cache): workers share each gate instead.
    private static func runSplittingGates<S: StateScalar>(_ stage: Stage<S>, on state: StateView<S>, workers: WorkerPool, resources: EngineResources) {
        let count = workers.activeWorkers
        for gate in stage.gates {
            guard let lane = gate.lane else { continue }
            let fixed = Set(lane.fixedQubits)
            let free = (LaneLayout.bits..<state.qubits).filter { !fixed.contains($0) }
            let slices = KernelSlice.partition(workers: count, freeQubits: free)
            workers.run { worker in
                for index in stride(from: worker, to: slices.count, by: count) {
                    LaneKernels.apply(lane, to: state, slice: slices[index], width: resources.laneWidth)
                }
            }
        }
    }

    private static func apply<S: StateScalar>(_ stage: Stage<S>, chunkBase: Int, to chunk: StateView<S>, width: LaneWidth) {
        for gate in stage.gates where chunkBase & gate.chunkControlMask == gate.chunkControlValues {
            if let lane = gate.lane {
                LaneKernels.apply(lane, to: chunk, width: width)
            } else {
                GateKernels.apply(gate.local, to: chunk)
            }
        }
    }

    private static func gather<S: StateScalar>(_ stage: Stage<S>, base: Int, from state: StateView<S>, into chunk: StateView<S>) {
        let length = stage.pieceLength
        for (piece, offset) in stage.pieceOffsets.enumerated() {
            copy(from: state.re + (base | offset), to: chunk.re + piece * length, count: length)
            copy(from: state.im + (base | offset), to: chunk.im + piece * length, count: length)
        }
    }

    private static func scatter<S: StateScalar>(_ stage: Stage<S>, base: Int, from chunk: StateView<S>, into state: StateView<S>) {
        let length = stage.pieceLength
        for (piece, offset) in stage.pieceOffsets.enumerated() {
            copy(from: chunk.re + piece * length, to: state.re + (base | offset), count: length)
            copy(from: chunk.im + piece * length, to: state.im + (base | offset), count: length)
        }
    }

    /// Pieces are short (often 32 amplitudes): copying lanes inline beats a library call per piece.
    @inline(__always)
    private static func copy<S: StateScalar>(from source: UnsafeMutablePointer<S>, to target: UnsafeMutablePointer<S>, count: Int) {
        guard count >= LaneLayout.width, count <= 1024 else {
            target.update(from: source, count: count)
            return
        }
        for i in stride(from: 0, to: count, by: LaneLayout.width) { target.storeLane(source.loadLane(i), i) }
    }
}
