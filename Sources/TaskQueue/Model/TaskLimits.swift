/// Limits the API, the command line and the schema share. sql/001 repeats `shots` as a CHECK constraint;
/// `TaskLimitsTests` checks that the two agree.
public enum TaskLimits {
    public static let shots = 1...100_000
    public static let defaultShots = 1024
}
