/// The time limit and the caller's cancellation flag, checked between gates, blocks and branches.
struct RunLimits {
    let start: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant?
    let timeLimit: Duration?
    let isCancelled: (@Sendable () -> Bool)?

    init(timeLimit: Duration?, isCancelled: (@Sendable () -> Bool)?) {
        let start = ContinuousClock.now
        self.start = start
        self.timeLimit = timeLimit
        deadline = timeLimit.map { start.advanced(by: $0) }
        self.isCancelled = isCancelled
    }

    func check() throws(SimulationError) {
        if let isCancelled, isCancelled() { throw .cancelled }
        if let deadline, let timeLimit, ContinuousClock.now >= deadline {
            throw .timeLimitExceeded(seconds: timeLimit.seconds)
        }
    }

    var elapsed: Duration { ContinuousClock.now - start }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
