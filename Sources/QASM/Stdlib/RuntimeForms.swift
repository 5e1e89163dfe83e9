/// The library's parameterised gates as e^{iγ}·U(θ, φ, λ) of their run-time parameters. Each form equals the
/// closed-form matrix in `GateMatrices` (global phase included); StandardLibraryTests checks every one.
enum RuntimeForms {
    typealias E = ClassicalExpression
    static let zero = AngleExpression.zero
    static let halfPi = AngleExpression.constant(Double.pi / 2)

    /// p(λ) = diag(1, e^{iλ}) = U(0, 0, λ).
    static func phaseGate(_ p: [E]) -> UForm { UForm(theta: zero, phi: zero, lambda: p[0]) }
    /// rx(θ) = U(θ, −π/2, π/2).
    static func rx(_ p: [E]) -> UForm { UForm(theta: p[0], phi: AngleExpression.negated(halfPi), lambda: halfPi) }
    /// ry(θ) = U(θ, 0, 0).
    static func ry(_ p: [E]) -> UForm { UForm(theta: p[0], phi: zero, lambda: zero) }
    /// rz(λ) = e^{−iλ/2}·U(0, 0, λ).
    static func rz(_ p: [E]) -> UForm {
        UForm(theta: zero, phi: zero, lambda: p[0], phase: AngleExpression.scaled(p[0], by: -0.5))
    }
    /// U(θ, φ, λ) itself (OpenQASM 3 `U`, qelib1 `u3`, Qiskit `u`).
    static func u(_ p: [E]) -> UForm { UForm(theta: p[0], phi: p[1], lambda: p[2]) }
    /// stdgates `u3` (and qelib1 `cu3`'s target): e^{−i(φ+λ)/2}·U(θ, φ, λ).
    static func u3WithPhase(_ p: [E]) -> UForm {
        UForm(theta: p[0], phi: p[1], lambda: p[2], phase: AngleExpression.scaled(AngleExpression.sum(p[1], p[2]), by: -0.5))
    }
    /// qelib1 `u2(φ, λ)` = U(π/2, φ, λ).
    static func u2(_ p: [E]) -> UForm { UForm(theta: halfPi, phi: p[0], lambda: p[1]) }
    /// stdgates `u2(φ, λ)` = e^{−i(φ+λ)/2}·U(π/2, φ, λ).
    static func u2WithPhase(_ p: [E]) -> UForm {
        UForm(theta: halfPi, phi: p[0], lambda: p[1], phase: AngleExpression.scaled(AngleExpression.sum(p[0], p[1]), by: -0.5))
    }
    /// cu's target: e^{iγ}·U(θ, φ, λ).
    static func cu(_ p: [E]) -> UForm { UForm(theta: p[0], phi: p[1], lambda: p[2], phase: p[3]) }

    private static let cx = GateOperation.controlled("cx", GateMatrices.x, control: 0, target: 1)

    /// rzz(θ) = cx; rz(θ) on the second qubit; cx (exact, global phase included).
    static func rzz(_ p: [E]) -> [GateOperation] {
        let u = rz(p)
        return [cx, .runtimeU("rzz", theta: u.theta, phi: u.phi, lambda: u.lambda, phase: u.phase, target: 1), cx]
    }

    /// rxx(θ) = (H⊗H)·rzz(θ)·(H⊗H).
    static func rxx(_ p: [E]) -> [GateOperation] {
        let h = [GateOperation.single("h", GateMatrices.h, on: 0), .single("h", GateMatrices.h, on: 1)]
        return h + rzz(p) + h
    }

    /// ryy(θ) = (S⊗S)·rxx(θ)·(S†⊗S†): S X S† = Y.
    static func ryy(_ p: [E]) -> [GateOperation] {
        let sdg = [GateOperation.single("sdg", GateMatrices.sdg, on: 0), .single("sdg", GateMatrices.sdg, on: 1)]
        let s = [GateOperation.single("s", GateMatrices.s, on: 0), .single("s", GateMatrices.s, on: 1)]
        return sdg + rxx(p) + s
    }
}
