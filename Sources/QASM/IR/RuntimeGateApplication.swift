/// A one-qubit gate whose angles are known only while the program runs (they read measured bits or runtime
/// variables): e^{i·phase}·U(θ, φ, λ) on `target`, applied when every control qubit has its value.
///
/// Every gate with run-time parameters (library gates, user gates, `inv @`, `ctrl @`, `pow(k) @`) is lowered to
/// these plus ordinary `GateApplication`s, except a fractional power of several operations (a `RuntimeBlock`).
/// `resolved(bit:variables:)` is the single definition of the matrix, built by the same code as compile-time gates.
public struct RuntimeGateApplication: Sendable, Hashable {
    /// Name for logs and diagnostics only.
    public var name: String
    public var target: Int
    public var theta: ClassicalExpression
    public var phi: ClassicalExpression
    public var lambda: ClassicalExpression
    /// γ in e^{iγ}·U: invisible on an uncontrolled gate, a relative phase once the gate is controlled.
    public var phase: ClassicalExpression
    public var controls: [Int]
    /// `true`: control on |1⟩, `false`: on |0⟩. Same count as `controls`.
    public var controlValues: [Bool]
    /// Applied in order to the evaluated matrix: a fractional `pow(k) @`, and `inv @` after such a power.
    public var transforms: [MatrixTransform]

    public enum MatrixTransform: Sendable, Hashable {
        /// The principal power (eigenvalue arguments in (−π, π]), as compile-time `pow(k) @`.
        case power(Double)
        case adjoint
    }

    public init(
        name: String, target: Int, theta: ClassicalExpression, phi: ClassicalExpression, lambda: ClassicalExpression,
        phase: ClassicalExpression = .constant(.float(0)), controls: [Int] = [], controlValues: [Bool]? = nil,
        transforms: [MatrixTransform] = []
    ) {
        self.name = name
        self.target = target
        self.theta = theta
        self.phi = phi
        self.lambda = lambda
        self.phase = phase
        self.controls = controls
        self.controlValues = controlValues ?? Array(repeating: true, count: controls.count)
        self.transforms = transforms
    }
}
