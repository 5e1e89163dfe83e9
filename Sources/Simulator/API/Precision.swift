/// The floating-point type of a run's amplitudes (Aer's `precision` option).
public enum Precision: String, Sendable, Hashable, CaseIterable, Codable {
    /// complex64: half the memory per amplitude (one more qubit fits in the same budget) and twice the amplitudes
    /// per instruction; counts agree with double precision within sampling error for typical circuits.
    case single
    /// complex128, the default.
    case double

    /// Bytes of one amplitude (real and imaginary part).
    public var bytesPerAmplitude: Int { self == .single ? 8 : 16 }
}
