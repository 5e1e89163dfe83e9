import QASM

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Standard gates and tiny circuit builders, so tests read like circuits.
enum Gates {
    static let invSqrt2 = 1 / 2.0.squareRoot()

    static func matrix(_ rows: [[Complex]]) -> GateMatrix {
        let k = rows.count == 2 ? 1 : rows.count == 4 ? 2 : 3
        return GateMatrix(qubitCount: k, elements: rows.flatMap { $0 })
    }

    static let hMatrix = matrix([[Complex(invSqrt2), Complex(invSqrt2)], [Complex(invSqrt2), Complex(-invSqrt2)]])
    static let xMatrix = matrix([[.zero, .one], [.one, .zero]])
    static let yMatrix = matrix([[.zero, Complex(0, -1)], [.i, .zero]])
    static let zMatrix = matrix([[.one, .zero], [.zero, Complex(-1)]])

    static func h(_ q: Int) -> Instruction { .gate(GateApplication(name: "h", targets: [q], matrix: hMatrix)) }
    static func x(_ q: Int) -> Instruction { .gate(GateApplication(name: "x", targets: [q], matrix: xMatrix)) }
    static func y(_ q: Int) -> Instruction { .gate(GateApplication(name: "y", targets: [q], matrix: yMatrix)) }
    static func z(_ q: Int) -> Instruction { .gate(GateApplication(name: "z", targets: [q], matrix: zMatrix)) }

    static func ry(_ theta: Double, _ q: Int) -> Instruction {
        let c = cos(theta / 2), s = sin(theta / 2)
        return .gate(GateApplication(name: "ry", targets: [q], matrix: matrix([[Complex(c), Complex(-s)], [Complex(s), Complex(c)]])))
    }

    static func p(_ lambda: Double, _ q: Int) -> Instruction {
        .gate(GateApplication(name: "p", targets: [q], matrix: matrix([[.one, .zero], [.zero, .phase(lambda)]])))
    }

    static func cx(_ control: Int, _ target: Int) -> Instruction {
        .gate(GateApplication(name: "cx", targets: [target], matrix: xMatrix, controls: [control]))
    }

    static func ccx(_ c0: Int, _ c1: Int, _ target: Int) -> Instruction {
        .gate(GateApplication(name: "ccx", targets: [target], matrix: xMatrix, controls: [c0, c1]))
    }

    static func cp(_ lambda: Double, _ control: Int, _ target: Int) -> Instruction {
        .gate(GateApplication(name: "cp", targets: [target], matrix: matrix([[.one, .zero], [.zero, .phase(lambda)]]), controls: [control]))
    }

    static func swap(_ a: Int, _ b: Int) -> Instruction {
        let o = Complex.one, z = Complex.zero
        return .gate(GateApplication(name: "swap", targets: [a, b], matrix: matrix([[o, z, z, z], [z, z, o, z], [z, o, z, z], [z, z, z, o]])))
    }

    static func measure(_ q: Int, _ c: Int) -> Instruction { .measure(qubit: q, bit: c) }

    /// One register `c` of `bits` bits.
    static func circuit(qubits: Int, bits: Int, _ instructions: [Instruction]) -> Circuit {
        Circuit(
            qubitCount: qubits, bitCount: bits,
            registers: bits > 0 ? [ClassicalRegister(name: "c", offset: 0, size: bits)] : [],
            instructions: instructions
        )
    }

    static func bell() -> Circuit {
        circuit(qubits: 2, bits: 2, [h(0), cx(0, 1), measure(0, 0), measure(1, 1)])
    }
}
