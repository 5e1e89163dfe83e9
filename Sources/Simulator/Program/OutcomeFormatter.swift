import QASM

/// Builds counts keys the way Qiskit Aer's `get_counts()` does: registers in reverse declaration order separated
/// by one space, highest bit leftmost, unwritten bits 0 (Tests/Fixtures/circuits/README.md, "Outcome keys").
struct OutcomeFormatter: Sendable, Hashable {
    /// One entry per key character: the classical bit shown there, or `nil` for a separating space.
    let characters: [Int?]

    init(registers: [ClassicalRegister], bitCount: Int) {
        // Bits outside every register (not produced by the front-end) still get a place: one extra register.
        var layout = registers
        if layout.isEmpty && bitCount > 0 {
            layout = [ClassicalRegister(name: "c", offset: 0, size: bitCount)]
        }
        var characters: [Int?] = []
        for (position, register) in layout.reversed().enumerated() {
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
