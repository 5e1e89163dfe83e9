#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Exact Binomial(n, p) draws: how many of a branch's shots take outcome 1 of a measurement.
enum Binomial {
    static func sample(trials n: Int, probability p: Double, using rng: inout Xoshiro256) -> Int {
        if n <= 0 || p <= 0 { return 0 }
        if p >= 1 { return n }
        // Work with the smaller tail so the cost stays bounded.
        if p > 0.5 { return n - sample(trials: n, probability: 1 - p, using: &rng) }
        if Double(n) * p < 10 { return inversion(trials: n, probability: p, using: &rng) }
        return transformedRejection(trials: n, probability: p, using: &rng)
    }

    /// Sequential search of the CDF; expected cost O(n·p), used while n·p is small.
    private static func inversion(trials n: Int, probability p: Double, using rng: inout Xoshiro256) -> Int {
        let q = 1 - p
        let ratio = p / q
        while true {
            var u = rng.nextUniform()
            var k = 0
            var pk = pow(q, Double(n))
            while u > pk {
                u -= pk
                k += 1
                if k > n { break }
                pk *= ratio * Double(n - k + 1) / Double(k)
            }
            if k <= n { return k }
        }
    }

    /// Hörmann's BTRS (transformed rejection with squeeze), exact for n·p ≥ 10.
    private static func transformedRejection(trials n: Int, probability p: Double, using rng: inout Xoshiro256) -> Int {
        let q = 1 - p
        let nd = Double(n)
        let spq = (nd * p * q).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = nd * p + 0.5
        let vr = 0.92 - 4.2 / b
        let alpha = (2.83 + 5.1 / b) * spq
        let lpq = log(p / q)
        let m = ((nd + 1) * p).rounded(.down)
        let h = lgamma(m + 1) + lgamma(nd - m + 1)
        while true {
            let u = rng.nextUniform() - 0.5
            var v = rng.nextUniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + c).rounded(.down)
            if k < 0 || k > nd { continue }
            if us >= 0.07 && v <= vr { return Int(k) }
            v = log(v * alpha / (a / (us * us) + b))
            if v <= h - lgamma(k + 1) - lgamma(nd - k + 1) + (k - m) * lpq { return Int(k) }
        }
    }
}
