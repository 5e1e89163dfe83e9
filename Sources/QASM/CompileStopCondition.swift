/// Stops a long compilation from outside: a worker passes its task's deadline and its shutdown flag, so unrolling a
/// huge program cannot outlive either. Checked every few thousand lowering steps. It never changes what a program
/// compiles to, so all values compare equal (and `CompileOptions` stays `Hashable`).
public struct CompileStopCondition: Sendable, Hashable {
    public var deadline: ContinuousClock.Instant?
    public var isCancelled: (@Sendable () -> Bool)?

    public init(deadline: ContinuousClock.Instant? = nil, isCancelled: (@Sendable () -> Bool)? = nil) {
        self.deadline = deadline
        self.isCancelled = isCancelled
    }

    /// Why compilation must stop now, if it must.
    func reason() -> Diagnostic.Kind? {
        if let isCancelled, isCancelled() { return .cancelled }
        if let deadline, ContinuousClock.now >= deadline { return .timeLimit }
        return nil
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}
