import TaskQueue

/// The API's timestamps: the shape the database's have (see `ISOTimestamp`).
enum Timestamp {
    static func string() -> String { ISOTimestamp.now() }
}
