/// What a completed task stores in `tasks.result` (jsonb).
public struct TaskResult: Sendable, Hashable, Codable {
    public var counts: [String: Int]
    public var shots: Int
    public var success: Bool
    /// The random seed the engine used, so a run can be reproduced.
    public var seed: UInt64?
    /// The precision the state vector was simulated in (nil in results stored before it was recorded: double).
    public var precision: TaskPrecision?

    public init(
        counts: [String: Int], shots: Int, success: Bool = true, seed: UInt64? = nil, precision: TaskPrecision? = nil
    ) {
        self.counts = counts
        self.shots = shots
        self.success = success
        self.seed = seed
        self.precision = precision
    }
}

/// What a failed task stores in `tasks.error_detail` (jsonb); `message` is also in `tasks.error_message`.
public struct TaskFailure: Sendable, Hashable, Codable {
    /// e.g. "syntax", "undefined_name", "simulation", "lease_expired".
    public var type: String
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(type: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.type = type
        self.message = message
        self.line = line
        self.column = column
    }
}
