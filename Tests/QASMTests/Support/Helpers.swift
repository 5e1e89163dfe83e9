import CircuitTestSupport
import Testing
@testable import QASM

/// Compiles or records the diagnostic as a test issue.
func compiled(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Circuit {
    do {
        return try QASMCompiler.compile(source)
    } catch {
        Issue.record("compile failed: \(error)", sourceLocation: sourceLocation)
        throw error
    }
}

/// The first diagnostic of a program that must not compile.
func failure(_ source: String, options: CompileOptions = CompileOptions(), sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Diagnostic? {
    do {
        _ = try QASMCompiler.compile(source, options: options)
        Issue.record("expected a compile error", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error.first
    }
}

/// Exact outcome distribution of a program (keys as in Qiskit's counts).
func distribution(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String: Double] {
    try ReferenceSimulator.distribution(try compiled(source, sourceLocation: sourceLocation))
}

func expectDistribution(_ actual: [String: Double], _ expected: [String: Double], tolerance: Double = 1e-9,
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for key in Set(actual.keys).union(expected.keys) {
        let a = actual[key] ?? 0, e = expected[key] ?? 0
        #expect(abs(a - e) <= tolerance, "key \(key): expected \(e), got \(a)", sourceLocation: sourceLocation)
    }
}

/// The unitary of a measurement-free circuit (global phase included), bit j of an index = qubit j.
func unitary(of circuit: Circuit) -> [Complex] {
    var operations: [GateOperation] = []
    for instruction in circuit.instructions {
        switch instruction {
        case .gate(let g):
            operations.append(.unitary(.init(name: g.name, matrix: g.matrix, targets: g.targets,
                                             controls: g.controls, controlValues: g.controlValues)))
        case .globalPhase(let angle):
            operations.append(.phase(angle))
        default:
            break
        }
    }
    return MatrixMath.dense(operations, qubits: Array(0..<circuit.qubitCount))
}

func maxDifference(_ a: [Complex], _ b: [Complex]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { ($0 - $1).magnitudeSquared.squareRoot() }.max() ?? 0
}

/// Largest difference after removing a global phase (aligning on the largest entry of `a`).
func maxDifferenceUpToPhase(_ a: [Complex], _ b: [Complex]) -> Double {
    guard a.count == b.count, let pivot = a.indices.max(by: { a[$0].magnitudeSquared < a[$1].magnitudeSquared }),
          b[pivot].magnitudeSquared > 1e-20
    else { return .infinity }
    // phase = a[p] / b[p], normalised
    let ap = a[pivot], bp = b[pivot]
    let ratio = ap * bp.conjugate
    let norm = ratio.magnitudeSquared.squareRoot()
    let phase = Complex(ratio.re / norm, ratio.im / norm)
    return maxDifference(a, b.map { phase * $0 })
}
