import TaskQueue

extension TaskRecord {
    /// The `GET /tasks/{id}` body. `correlation_id` is this request's; `task_correlation_id` is the one
    /// stored when the task was submitted, so a client can find the submission's log lines.
    func json(correlationID: String) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember(key: "task_id", value: .string(id.uuidString.lowercased())),
            JSONMember(key: "status", value: .string(status.rawValue)),
            JSONMember(key: "submitted_at", value: .string(submittedAt)),
            JSONMember(key: "message", value: .string(status.message)),
            JSONMember(key: "result", value: status == .completed ? result?.json ?? .null : .null),
        ]
        if status == .failed, let failure {
            members.append(JSONMember(key: "error", value: failure.json))
        }
        members += [
            JSONMember(key: "shots", value: .integer(shots)),
            JSONMember(key: "seed", value: seed.map { .integer($0) } ?? .null),
            JSONMember(key: "precision", value: .string(precision.rawValue)),
            JSONMember(key: "attempts", value: .integer(attempts)),
            JSONMember(key: "started_at", value: startedAt.json),
            JSONMember(key: "completed_at", value: completedAt.json),
            JSONMember(key: "duration_seconds", value: durationSeconds.map { .number(Self.seconds($0)) } ?? .null),
        ]
        if status == .pending, let queuePosition {
            members.append(JSONMember(key: "queue_position", value: .integer(queuePosition)))
        }
        if status == .processing, cancelRequested {
            members.append(JSONMember(key: "cancel_requested", value: .bool(true)))
        }
        members += [
            JSONMember(key: "status_history", value: .array(history.map(\.json))),
            JSONMember(key: "correlation_id", value: .string(correlationID)),
            JSONMember(key: "task_correlation_id", value: self.correlationID.json),
        ]
        return .object(members)
    }

    /// Microsecond precision, as the timestamps have.
    static func seconds(_ value: Double) -> String {
        String(format: "%.6f", value)
    }
}

extension TaskSummary {
    /// One entry of `GET /tasks`.
    var json: JSONValue {
        let members: [JSONMember] = [
            JSONMember(key: "task_id", value: .string(id.uuidString.lowercased())),
            JSONMember(key: "status", value: .string(status.rawValue)),
            JSONMember(key: "submitted_at", value: .string(submittedAt)),
            JSONMember(key: "shots", value: .integer(shots)),
            JSONMember(key: "seed", value: seed.map { .integer($0) } ?? .null),
            JSONMember(key: "attempts", value: .integer(attempts)),
            JSONMember(key: "started_at", value: startedAt.json),
            JSONMember(key: "completed_at", value: completedAt.json),
            JSONMember(key: "task_correlation_id", value: correlationID.json),
        ]
        return .object(members)
    }

    /// With `include=result`: the result (null unless completed) and, when failed, the error.
    var jsonWithResult: JSONValue {
        guard case .object(var members) = json else { return json }
        members.append(JSONMember(key: "result", value: status == .completed ? result?.json ?? .null : .null))
        if status == .failed, let failure { members.append(JSONMember(key: "error", value: failure.json)) }
        return .object(members)
    }
}

extension TaskResult {
    var json: JSONValue {
        var members: [JSONMember] = [
            JSONMember(key: "counts", value: .object(
                counts.sorted { $0.key < $1.key }.map { JSONMember(key: $0.key, value: .integer($0.value)) }
            )),
            JSONMember(key: "shots", value: .integer(shots)),
            JSONMember(key: "success", value: .bool(success)),
        ]
        if let seed { members.append(JSONMember(key: "seed", value: .integer(seed))) }
        if let precision { members.append(JSONMember(key: "precision", value: .string(precision.rawValue))) }
        return .object(members)
    }
}

extension TaskFailure {
    var json: JSONValue {
        var members: [JSONMember] = [
            JSONMember(key: "type", value: .string(type)),
            JSONMember(key: "message", value: .string(message)),
        ]
        if let line { members.append(JSONMember(key: "line", value: .integer(line))) }
        if let column { members.append(JSONMember(key: "column", value: .integer(column))) }
        return .object(members)
    }
}

extension StatusHistoryEntry {
    var json: JSONValue {
        ["status": .string(status.rawValue), "transitioned_at": .string(transitionedAt), "notes": notes.json]
    }
}
