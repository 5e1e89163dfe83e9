import Logging
import PostgresNIO

/// A deferred constraint trigger on `tasks`: it runs at COMMIT, after the INSERT already returned its rows.
/// It refuses the circuit `FAIL AT COMMIT` (a permanent failure) and kills its own connection for
/// `DIE AT COMMIT` (the database going away mid-commit). Tests use it to prove a submission is answered only
/// after its COMMIT is acknowledged.
public enum CommitTrap {
    public static let refusedCircuit = "FAIL AT COMMIT"
    public static let fatalCircuit = "DIE AT COMMIT"

    public static func install(_ client: PostgresClient, logger: Logger) async throws {
        try await client.query("""
            CREATE FUNCTION trap_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.circuit = 'FAIL AT COMMIT' THEN RAISE EXCEPTION 'refused at commit'; END IF;
                IF NEW.circuit = 'DIE AT COMMIT' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
                RETURN NULL;
            END $$
            """, logger: logger)
        try await client.query("""
            CREATE CONSTRAINT TRIGGER trap_at_commit AFTER INSERT ON tasks
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION trap_at_commit()
            """, logger: logger)
    }

    /// Rows in `tasks` and `status_history`.
    public static func storedRows(_ client: PostgresClient, logger: Logger) async throws -> (tasks: Int, history: Int) {
        let rows = try await client.query(
            "SELECT (SELECT count(*)::int FROM tasks), (SELECT count(*)::int FROM status_history)", logger: logger
        )
        for try await (tasks, history) in rows.decode((Int, Int).self) { return (tasks, history) }
        return (-1, -1)
    }
}
