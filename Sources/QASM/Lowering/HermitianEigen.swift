/// Cyclic Jacobi diagonalisation of a small Hermitian matrix (used only for matrix powers of gates).
enum HermitianEigen {
    /// Returns V (row-major, columns are orthonormal eigenvectors) with V† H V diagonal.
    static func eigenvectors(_ input: [Complex], dimension n: Int) throws(MatrixMath.Failure) -> [Complex] {
        var h = input
        var v = [Complex](repeating: .zero, count: n * n)
        for i in 0..<n { v[i * n + i] = .one }
        var scale = 0.0
        for value in h { scale = max(scale, value.magnitudeSquared) }
        guard scale.isFinite else { throw .notFinite }
        let tolerance = max(scale, 1e-300) * 1e-30
        for _ in 0..<64 {
            var off = 0.0
            for p in 0..<n { for q in (p + 1)..<max(p + 1, n) { off += h[p * n + q].magnitudeSquared } }
            if off <= tolerance { return v }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) {
                    let hpq = h[p * n + q]
                    let magnitude = hpq.magnitudeSquared.squareRoot()
                    if magnitude == 0 { continue }
                    // Phase-rotate so the pair's off-diagonal is real, then a real Jacobi rotation zeroes it.
                    let unitPhase = Complex(hpq.re / magnitude, -hpq.im / magnitude)  // e^{-iφ}
                    let a = h[p * n + p].re, d = h[q * n + q].re
                    let tau = (d - a) / (2 * magnitude)
                    let t = (tau >= 0 ? 1.0 : -1.0) / (abs(tau) + (1 + tau * tau).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot()
                    let s = t * c
                    // J = [[c, s], [-s·e^{-iφ}, c·e^{-iφ}]] on rows/columns (p, q).
                    let jpp = Complex(c), jpq = Complex(s)
                    let jqp = (-s) * unitPhase, jqq = c * unitPhase
                    for k in 0..<n {
                        let hp = h[k * n + p], hq = h[k * n + q]
                        h[k * n + p] = hp * jpp + hq * jqp
                        h[k * n + q] = hp * jpq + hq * jqq
                        let vp = v[k * n + p], vq = v[k * n + q]
                        v[k * n + p] = vp * jpp + vq * jqp
                        v[k * n + q] = vp * jpq + vq * jqq
                    }
                    for k in 0..<n {
                        let rp = h[p * n + k], rq = h[q * n + k]
                        h[p * n + k] = jpp.conjugate * rp + jqp.conjugate * rq
                        h[q * n + k] = jpq.conjugate * rp + jqq.conjugate * rq
                    }
                }
            }
        }
        throw .noConvergence
    }
}
