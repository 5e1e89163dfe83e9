import Testing
@testable import QASM
@Test func complexMultiplies() { #expect(Complex(0, 1) * Complex(0, 1) == Complex(-1, 0)) }
