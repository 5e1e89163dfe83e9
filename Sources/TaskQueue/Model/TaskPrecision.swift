/// The floating-point precision a task is simulated in (the `precision` column; the API's `precision` field).
public enum TaskPrecision: String, Sendable, Hashable, Codable, CaseIterable {
    /// complex64 amplitudes: half the memory.
    case single
    /// complex128 amplitudes: the default.
    case double
}
