/// One unitary step with every qubit resolved to an index in `0..<Circuit.qubitCount`.
///
/// The full operator is: when every control qubit `controls[i]` has the value `controlValues[i]`,
/// apply `matrix` to `targets`; otherwise do nothing. Targets and controls are pairwise distinct.
public struct GateApplication: Sendable, Hashable {
    /// Name for logs, benchmarks and diagnostics only (e.g. "cx", "h", "mygate"); the engine never reads it.
    public var name: String
    public var targets: [Int]
    public var matrix: GateMatrix
    public var controls: [Int]
    /// `true`: control on |1⟩ (`ctrl @`), `false`: control on |0⟩ (`negctrl @`). Same count as `controls`.
    public var controlValues: [Bool]

    public init(name: String, targets: [Int], matrix: GateMatrix, controls: [Int] = [], controlValues: [Bool]? = nil) {
        precondition(matrix.qubitCount == targets.count, "matrix arity does not match targets")
        self.name = name
        self.targets = targets
        self.matrix = matrix
        self.controls = controls
        self.controlValues = controlValues ?? Array(repeating: true, count: controls.count)
    }
}
