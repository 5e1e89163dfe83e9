import QASM
@testable import Simulator

/// Seeded random gates of every shape the kernels distinguish (dense, diagonal, monomial; any arity, controls and
/// negated controls), for comparing the engine with `ReferenceSimulator`.
struct RandomCircuits {
    var rng: Xoshiro256

    init(seed: UInt64) { rng = Xoshiro256(seed: seed) }

    mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(rng.next() % UInt64(range.count)) }

    mutating func complex() -> Complex { Complex(rng.nextUniform() * 2 - 1, rng.nextUniform() * 2 - 1) }

    mutating func matrix(qubits k: Int) -> GateMatrix {
        let d = 1 << k
        var elements = [Complex](repeating: .zero, count: d * d)
        switch int(0..<3) {
        case 0:
            for i in elements.indices { elements[i] = complex() }
        case 1:
            for j in 0..<d { elements[j * d + j] = .phase(rng.nextUniform() * 6.3) }
        default:
            var permutation = Array(0..<d)
            for i in stride(from: d - 1, to: 0, by: -1) { permutation.swapAt(i, int(0..<(i + 1))) }
            for j in 0..<d { elements[j * d + permutation[j]] = rng.nextUniform() < 0.5 ? .one : .phase(rng.nextUniform() * 6.3) }
        }
        return GateMatrix(qubitCount: k, elements: elements)
    }

    mutating func gate(qubits n: Int, maxTargets: Int = 3) -> GateApplication {
        var qubits = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { qubits.swapAt(i, int(0..<(i + 1))) }
        let k = int(1..<(min(maxTargets, n) + 1))
        let c = int(0..<(min(2, n - k) + 1))
        let targets = Array(qubits[0..<k])
        let controls = Array(qubits[k..<(k + c)])
        let values = controls.map { _ in rng.nextUniform() < 0.7 }
        return GateApplication(name: "g", targets: targets, matrix: matrix(qubits: k), controls: controls, controlValues: values)
    }

    mutating func circuit(qubits n: Int, gates: Int, maxTargets: Int = 3) -> Circuit {
        var instructions: [Instruction] = []
        for _ in 0..<gates {
            instructions.append(.gate(gate(qubits: n, maxTargets: maxTargets)))
            if rng.nextUniform() < 0.05 { instructions.append(.globalPhase(rng.nextUniform())) }
        }
        return Circuit(qubitCount: n, bitCount: 0, registers: [], instructions: instructions)
    }
}

func maxDistance(_ a: [Complex], _ b: [Complex]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { ($0 - $1).magnitudeSquared.squareRoot() }.max() ?? 0
}

func totalVariation(_ a: [String: Double], _ b: [String: Double]) -> Double {
    Set(a.keys).union(b.keys).reduce(0) { $0 + abs(a[$1, default: 0] - b[$1, default: 0]) } / 2
}

func frequencies(_ counts: [String: Int]) -> [String: Double] {
    let total = Double(counts.values.reduce(0, +))
    return counts.mapValues { Double($0) / total }
}
