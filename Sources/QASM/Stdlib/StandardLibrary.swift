/// The gates of `stdgates.inc` (OpenQASM 3) and `qelib1.inc` (OpenQASM 2), as closed-form matrices.
///
/// Each matrix equals the unitary of the include file's text definition, global phase included
/// (e.g. stdgates `u3` = e^{−i(φ+λ)/2}·U, `rz` = diag(e^{−iλ/2}, e^{iλ/2})); tests check this against
/// the definitions themselves. See notes/qasm-semantics.md for where this differs from Qiskit.
enum StandardLibrary {
    typealias M = GateMatrices

    /// Built into the language: `U` (and, in OpenQASM 2, `CX`). `gphase` is handled by the lowering.
    static let builtinU = NativeGate.single("U", parameters: 3) { p in M.u(p[0], p[1], p[2]) }.runtime { RuntimeForms.u($0) }
    static let builtinCX = NativeGate.controlled("CX") { _ in M.x }

    static let stdgates: [NativeGate] = [
        .single("p", parameters: 1) { p in M.phaseGate(p[0]) }.runtime { RuntimeForms.phaseGate($0) },
        .single("x") { _ in M.x },
        .single("y") { _ in M.y },
        .single("z") { _ in M.z },
        .single("h") { _ in M.h },
        .single("s") { _ in M.s },
        .single("sdg") { _ in M.sdg },
        .single("t") { _ in M.t },
        .single("tdg") { _ in M.tdg },
        .single("sx") { _ in M.sx },
        .single("rx", parameters: 1) { p in M.rx(p[0]) }.runtime { RuntimeForms.rx($0) },
        .single("ry", parameters: 1) { p in M.ry(p[0]) }.runtime { RuntimeForms.ry($0) },
        .single("rz", parameters: 1) { p in M.rz(p[0]) }.runtime { RuntimeForms.rz($0) },
        .controlled("cx") { _ in M.x },
        .controlled("cy") { _ in M.y },
        .controlled("cz") { _ in M.z },
        .controlled("cp", parameters: 1) { p in M.phaseGate(p[0]) }.runtime { RuntimeForms.phaseGate($0) },
        .controlled("crx", parameters: 1) { p in M.rx(p[0]) }.runtime { RuntimeForms.rx($0) },
        .controlled("cry", parameters: 1) { p in M.ry(p[0]) }.runtime { RuntimeForms.ry($0) },
        .controlled("crz", parameters: 1) { p in M.rz(p[0]) }.runtime { RuntimeForms.rz($0) },
        .controlled("ch") { _ in M.h },
        .twoQubit("swap") { _ in M.swap },
        .controlled("ccx", controls: 2) { _ in M.x },
        .twoQubit("cswap", controls: 1) { _ in M.swap },
        .controlled("cu", parameters: 4) { p in M.u(p[0], p[1], p[2], phase: p[3]) }.runtime { RuntimeForms.cu($0) },
        .controlled("CX") { _ in M.x },
        .single("phase", parameters: 1) { p in M.phaseGate(p[0]) }.runtime { RuntimeForms.phaseGate($0) },
        .controlled("cphase", parameters: 1) { p in M.phaseGate(p[0]) }.runtime { RuntimeForms.phaseGate($0) },
        NativeGate("id") { _ in [] },
        .single("u1", parameters: 1) { p in M.phaseGate(p[0]) }.runtime { RuntimeForms.phaseGate($0) },
        .single("u2", parameters: 2) { p in M.u(Double.pi / 2, p[0], p[1], phase: -(p[0] + p[1]) / 2) }.runtime { RuntimeForms.u2WithPhase($0) },
        .single("u3", parameters: 3) { p in M.u(p[0], p[1], p[2], phase: -(p[1] + p[2]) / 2) }.runtime { RuntimeForms.u3WithPhase($0) },
    ]

    /// qelib1.inc (OpenQASM 2.0) plus common extras of Qiskit's extended library (marked `extra`).
    static let qelib1: [NativeGate] = [
        .single("u3", parameters: 3) { p in M.u(p[0], p[1], p[2]) }.runtime { RuntimeForms.u($0) },
        .single("u2", parameters: 2) { p in M.u(Double.pi / 2, p[0], p[1]) }.runtime { RuntimeForms.u2($0) },
        .single("u1", parameters: 1) { p in M.phaseGate(p[0]) }.runtime { RuntimeForms.phaseGate($0) },
        .controlled("cx") { _ in M.x },
        NativeGate("id") { _ in [] },
        .single("x") { _ in M.x },
        .single("y") { _ in M.y },
        .single("z") { _ in M.z },
        .single("h") { _ in M.h },
        .single("s") { _ in M.s },
        .single("sdg") { _ in M.sdg },
        .single("t") { _ in M.t },
        .single("tdg") { _ in M.tdg },
        .single("rx", parameters: 1) { p in M.rx(p[0]) }.runtime { RuntimeForms.rx($0) },
        .single("ry", parameters: 1) { p in M.ry(p[0]) }.runtime { RuntimeForms.ry($0) },
        .single("rz", parameters: 1) { p in M.rz(p[0]) }.runtime { RuntimeForms.rz($0) },
        .controlled("cz") { _ in M.z },
        .controlled("cy") { _ in M.y },
        .controlled("ch") { _ in M.h },
        .controlled("ccx", controls: 2) { _ in M.x },
        .controlled("crz", parameters: 1) { p in M.rz(p[0]) }.runtime { RuntimeForms.rz($0) },
        .controlled("cu1", parameters: 1) { p in M.phaseGate(p[0]) }.runtime { RuntimeForms.phaseGate($0) },
        // qelib1's cu3 decomposition controls e^{-i(φ+λ)/2}·U(θ, φ, λ) (Qiskit's CU3Gate omits the phase).
        .controlled("cu3", parameters: 3) { p in M.u(p[0], p[1], p[2], phase: -(p[1] + p[2]) / 2) }.runtime { RuntimeForms.u3WithPhase($0) },
        .single("sx", extra: true) { _ in M.sx },
        .single("sxdg", extra: true) { _ in M.sxdg },
        .single("p", parameters: 1, extra: true) { p in M.phaseGate(p[0]) }.runtime { RuntimeForms.phaseGate($0) },
        .single("u", parameters: 3, extra: true) { p in M.u(p[0], p[1], p[2]) }.runtime { RuntimeForms.u($0) },
        .controlled("cp", parameters: 1, extra: true) { p in M.phaseGate(p[0]) }.runtime { RuntimeForms.phaseGate($0) },
        .controlled("crx", parameters: 1, extra: true) { p in M.rx(p[0]) }.runtime { RuntimeForms.rx($0) },
        .controlled("cry", parameters: 1, extra: true) { p in M.ry(p[0]) }.runtime { RuntimeForms.ry($0) },
        .controlled("csx", extra: true) { _ in M.sx },
        .controlled("cu", parameters: 4, extra: true) { p in M.u(p[0], p[1], p[2], phase: p[3]) }.runtime { RuntimeForms.cu($0) },
        .twoQubit("swap", extra: true) { _ in M.swap },
        .twoQubit("cswap", controls: 1, extra: true) { _ in M.swap },
        .twoQubit("rzz", parameters: 1, extra: true) { p in M.rzz(p[0]) }.runtimeOperations { RuntimeForms.rzz($0) },
        .twoQubit("rxx", parameters: 1, extra: true) { p in M.rxx(p[0]) }.runtimeOperations { RuntimeForms.rxx($0) },
        .twoQubit("ryy", parameters: 1, extra: true) { p in M.ryy(p[0]) }.runtimeOperations { RuntimeForms.ryy($0) },
        .controlled("c3x", controls: 3, extra: true) { _ in M.x },
        .controlled("c4x", controls: 4, extra: true) { _ in M.x },
    ]

    /// The gates every program starts with: `U`, and in OpenQASM 2 also `CX`. Prebuilt so that a compile
    /// shares these tables instead of building its own (copy-on-write copies only if a program adds gates).
    static let builtinTable3: [String: Lowerer.GateEntry] = ["U": .native(builtinU)]
    static let builtinTable2: [String: Lowerer.GateEntry] = ["U": .native(builtinU), "CX": .native(builtinCX)]

    /// Include-file gates merged over the built-ins (library entries win), for the common case of an include
    /// before any gate definition.
    private static let stdgatesTable3 = table(stdgates, over: builtinTable3)
    private static let stdgatesTable2 = table(stdgates, over: builtinTable2)
    private static let qelib1Table3 = table(qelib1, over: builtinTable3)
    private static let qelib1Table2 = table(qelib1, over: builtinTable2)

    static func builtinTable(version: Int) -> [String: Lowerer.GateEntry] {
        version == 2 ? builtinTable2 : builtinTable3
    }

    /// The gate table after including `stdgates.inc` (or else `qelib1.inc`) into the built-ins of `version`.
    static func includedTable(stdgates isStdgates: Bool, version: Int) -> [String: Lowerer.GateEntry] {
        switch (isStdgates, version == 2) {
        case (true, false): return stdgatesTable3
        case (true, true): return stdgatesTable2
        case (false, false): return qelib1Table3
        case (false, true): return qelib1Table2
        }
    }

    private static func table(_ gates: [NativeGate], over builtins: [String: Lowerer.GateEntry]) -> [String: Lowerer.GateEntry] {
        var result = builtins
        for gate in gates { result[gate.name] = .native(gate) }
        return result
    }
}
