import Testing
@testable import TaskWorker

/// How a worker decides whether and when to claim after a wake-up: the rules that keep several workers from each
/// running a claim per notification (issue: "a burst must not make every idle worker run a claim query per
/// notification"). Pure logic with explicit instants; the worker loop that uses it runs in every system test.
@Suite struct ClaimPacingTests {
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    @Test func aWorkerWhoseClaimsFindTasksNeverWaits() {
        var pacer = ClaimPacer()
        for step in 0..<100 {
            #expect(pacer.delay(at: at(step)) == .zero)
            pacer.recordClaim(tasks: 5, at: at(step))
        }
    }

    @Test func emptyClaimsInARowDoubleTheWaitUpToTheMaximum() {
        var pacer = ClaimPacer(minimum: .milliseconds(1), maximum: .milliseconds(32))
        var expected: [Duration] = []
        var now = 0
        for _ in 0..<8 {
            pacer.recordClaim(tasks: 0, at: at(now))
            expected.append(pacer.delay(at: at(now)))
            now += 10
        }
        #expect(expected == [1, 2, 4, 8, 16, 32, 32, 32].map { .milliseconds($0) })
        // The wait counts from the last claim: 10 ms later, 22 ms are left.
        #expect(pacer.delay(at: at(now)) == .milliseconds(22))
    }

    @Test func claimsThatFindTasksShortenTheWaitGradually() {
        var pacer = ClaimPacer(minimum: .milliseconds(1), maximum: .milliseconds(32))
        for step in 0..<6 { pacer.recordClaim(tasks: 0, at: at(step)) }
        #expect(pacer.delay(at: at(5)) == .milliseconds(32))
        pacer.recordClaim(tasks: 3, at: at(6))
        #expect(pacer.delay(at: at(6)) == .milliseconds(24))
        for step in 7..<40 { pacer.recordClaim(tasks: 3, at: at(step)) }
        #expect(pacer.delay(at: at(39)) == .zero)
    }

    @Test func aQuietSpellEndsTheWaitAndForgetsTheStreak() {
        var pacer = ClaimPacer(minimum: .milliseconds(1), maximum: .milliseconds(32), forgetAfter: .milliseconds(250))
        for step in 0..<6 { pacer.recordClaim(tasks: 0, at: at(step)) }
        // The first task after a pause is claimed at once, whatever came before.
        #expect(pacer.delay(at: at(5 + 32)) == .zero)
        // And one more empty claim after the pause starts over at the minimum.
        pacer.recordClaim(tasks: 0, at: at(1000))
        #expect(pacer.delay(at: at(1000)) == .milliseconds(1))
    }

    @Test func aNotificationThatArrivedBeforeTheLastClaimWasSentCausesNoClaim() {
        let reasons = WakeReasons()
        // Nothing happened: nothing to do.
        #expect(!reasons.takeClaimIsWorthwhile())
        // The first notification, before any claim.
        reasons.notified()
        #expect(reasons.takeClaimIsWorthwhile())
        // Announced tasks were committed before it arrived: a claim sent after it could see them.
        reasons.notified()
        reasons.claimSent()
        #expect(!reasons.takeClaimIsWorthwhile())
        // One that arrives after the claim was sent may announce tasks that claim missed.
        reasons.notified()
        #expect(reasons.takeClaimIsWorthwhile())
        // Reasons are taken once.
        #expect(!reasons.takeClaimIsWorthwhile())
    }

    @Test func theFallbackPollAndSlotTopUpsAlwaysClaim() {
        let reasons = WakeReasons()
        reasons.notified()
        reasons.claimSent()
        reasons.other()
        #expect(reasons.takeClaimIsWorthwhile())
    }
}
