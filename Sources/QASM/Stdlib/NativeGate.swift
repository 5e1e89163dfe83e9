/// A library gate with a closed-form definition: its operations on local qubits 0..<qubitCount.
struct NativeGate: Sendable {
    var name: String
    var parameterCount: Int
    var qubitCount: Int
    /// Library extras that are not in the official include file may be redefined by the program.
    var isExtra = false
    var build: @Sendable ([Double]) -> [GateOperation]
    /// `build([])` of a gate without parameters, made once with the library table (a call shares it).
    private(set) var fixedOperations: [GateOperation]?
    /// The same gate with parameters known only at run time (float expressions); nil for parameterless gates.
    var runtimeBuild: (@Sendable ([ClassicalExpression]) -> [GateOperation])?

    init(_ name: String, parameters: Int = 0, qubits: Int = 1, extra: Bool = false,
         _ build: @escaping @Sendable ([Double]) -> [GateOperation]) {
        self.name = name
        self.parameterCount = parameters
        self.qubitCount = qubits
        self.isExtra = extra
        self.build = build
        fixedOperations = parameters == 0 ? build([]) : nil
    }

    /// A one-qubit gate given by its matrix.
    static func single(_ name: String, parameters: Int = 0, extra: Bool = false,
                       _ matrix: @escaping @Sendable ([Double]) -> [Complex]) -> NativeGate {
        NativeGate(name, parameters: parameters, extra: extra) { p in [.single(name, matrix(p))] }
    }

    /// A gate that applies a one-qubit matrix to its last qubit, controlled by the first `controls` qubits.
    static func controlled(_ name: String, parameters: Int = 0, controls: Int = 1, extra: Bool = false,
                           _ matrix: @escaping @Sendable ([Double]) -> [Complex]) -> NativeGate {
        NativeGate(name, parameters: parameters, qubits: controls + 1, extra: extra) { p in
            [.unitary(.init(name: name, matrix: GateMatrix(qubitCount: 1, elements: matrix(p)), targets: [controls],
                            controls: Array(0..<controls), controlValues: Array(repeating: true, count: controls)))]
        }
    }

    /// A gate given by a two-qubit matrix on (qubit 0, qubit 1), optionally controlled by a leading qubit.
    static func twoQubit(_ name: String, parameters: Int = 0, controls: Int = 0, extra: Bool = false,
                         _ matrix: @escaping @Sendable ([Double]) -> [Complex]) -> NativeGate {
        NativeGate(name, parameters: parameters, qubits: controls + 2, extra: extra) { p in
            [.unitary(.init(name: name, matrix: GateMatrix(qubitCount: 2, elements: matrix(p)),
                            targets: [controls, controls + 1], controls: Array(0..<controls),
                            controlValues: Array(repeating: true, count: controls)))]
        }
    }
}

extension NativeGate {
    /// Adds the run-time form of a one-qubit gate, or of one controlled by its leading qubits.
    func runtime(_ form: @escaping @Sendable ([ClassicalExpression]) -> UForm) -> NativeGate {
        var gate = self
        let name = self.name, controls = qubitCount - 1
        gate.runtimeBuild = { p in
            let u = form(p)
            return [.runtimeU(name, theta: u.theta, phi: u.phi, lambda: u.lambda, phase: u.phase,
                              target: controls, controls: controls)]
        }
        return gate
    }

    /// Adds a run-time form given as operations (multi-qubit gates, by their decomposition).
    func runtimeOperations(_ build: @escaping @Sendable ([ClassicalExpression]) -> [GateOperation]) -> NativeGate {
        var gate = self
        gate.runtimeBuild = build
        return gate
    }
}
