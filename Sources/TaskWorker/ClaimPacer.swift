/// Spaces out the claims of a worker that keeps losing the race for new tasks. Every notification wakes every
/// worker, and with several of them all but one find nothing: three workers in a burst ran two empty claims
/// (three statements each) for every full one, and did less work per second than one worker alone.
///
/// After an empty claim the next one waits: `minimum` at first, doubling with each further empty claim up to
/// `maximum`; a claim that gets tasks shortens it by a quarter. The workers settle into one that claims at once on every
/// notification (it keeps winning, so it never waits) and others that look in now and then, which is what two
/// cores can use. Nobody waits after a quiet spell longer than the wait (the first task after a pause is claimed at
/// once), a streak of empty claims is forgotten after a quiet `forgetAfter`, and a lone worker, whose claims after a
/// notification find the task that caused it, never waits at all.
struct ClaimPacer {
    let minimum: Duration
    let maximum: Duration
    let forgetAfter: Duration
    private var wait: Duration = .zero
    private var lastClaim: ContinuousClock.Instant?

    init(minimum: Duration = .milliseconds(1), maximum: Duration = .milliseconds(32), forgetAfter: Duration = .milliseconds(250)) {
        self.minimum = minimum
        self.maximum = maximum
        self.forgetAfter = forgetAfter
    }

    /// How long to hold the next claim back, from `now`.
    func delay(at now: ContinuousClock.Instant) -> Duration {
        guard let lastClaim, wait > .zero else { return .zero }
        return max(.zero, lastClaim + wait - now)
    }

    mutating func recordClaim(tasks: Int, at now: ContinuousClock.Instant) {
        let streakGoesOn = lastClaim.map { now - $0 <= forgetAfter } ?? false
        if !streakGoesOn { wait = .zero }
        if tasks > 0 {
            // Slowly: a worker that waited and then found tasks was often just lucky to come by between two
            // claims of the one that claims at once.
            wait = wait * 3 / 4 < minimum ? .zero : wait * 3 / 4
        } else {
            wait = wait == .zero ? minimum : min(wait * 2, maximum)
        }
        lastClaim = now
    }
}
