import QASM

/// Builds counts keys the way Qiskit Aer's `get_counts()` does: registers in reverse declaration order separated
/// by one space, highest bit leftmost, unwritten bits 0 (Tests/Fixtures/circuits/README.md, "Outcome keys").
struct OutcomeFormatter: Sendable, Hashable {
    /// One entry per key character: the classical bit shown there, or `nil` for a separating space.
    let characters: [Int?]

    /// Keys come from the registers only: bits outside every register (scratch bits of a bare `measure q;`)
    /// are not shown, as in the reference.
    init(registers: [ClassicalRegister]) {
        var characters: [Int?] = []
        for (position, register) in registers.reversed().enumerated() {
            if position > 0 { characters.append(nil) }
            for bit in stride(from: register.size - 1, through: 0, by: -1) { characters.append(register.offset + bit) }
        }
        self.characters = characters
    }

    func key(bit value: (Int) -> Bool) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(characters.count)
        for character in characters {
            if let bit = character {
                bytes.append(value(bit) ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            } else {
                bytes.append(UInt8(ascii: " "))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func key(bits: [Bool]) -> String { key { bits[$0] } }
}
