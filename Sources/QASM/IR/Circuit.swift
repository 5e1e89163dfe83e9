/// A compiled OpenQASM program: what the engine runs. Plain data; no source text is needed past this point.
public struct Circuit: Sendable, Hashable {
    /// Qubits, numbered in declaration order across registers.
    public var qubitCount: Int
    /// Classical bits, numbered in declaration order across registers (register r's bit i is `registers[r].offset + i`).
    public var bitCount: Int
    /// Classical bit registers in declaration order; they define the counts keys.
    public var registers: [ClassicalRegister]
    /// Number of runtime classical variable slots used by `Instruction.assign` / `ClassicalExpression.variable`.
    public var variableCount: Int
    /// Initial values of the variable slots (count = `variableCount`).
    public var initialVariables: [ClassicalValue]
    public var instructions: [Instruction]

    public init(
        qubitCount: Int,
        bitCount: Int,
        registers: [ClassicalRegister],
        variableCount: Int = 0,
        initialVariables: [ClassicalValue]? = nil,
        instructions: [Instruction]
    ) {
        self.qubitCount = qubitCount
        self.bitCount = bitCount
        self.registers = registers
        self.variableCount = variableCount
        self.initialVariables = initialVariables ?? Array(repeating: .int(0), count: variableCount)
        self.instructions = instructions
    }

    /// A program that declares no classical bits is answered as if every qubit were measured at the end
    /// (qubit 0 rightmost); see `OutcomeFormatter`.
    public var measuresAllQubitsImplicitly: Bool { bitCount == 0 }
}

/// A classical bit register: `bit[size] name;`, `creg name[size];`, or a single `bit name;` (size 1).
public struct ClassicalRegister: Sendable, Hashable {
    public var name: String
    public var offset: Int
    public var size: Int

    public init(name: String, offset: Int, size: Int) {
        self.name = name
        self.offset = offset
        self.size = size
    }
}
