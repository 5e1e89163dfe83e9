import Foundation

/// How the client commands print tasks: short lines for people, JSON for the counts (as `qtq run`).
enum TaskFormatter {
    /// The result of a finished task as compact JSON with sorted keys; a failure or cancellation is an error.
    static func resultJSON(of task: TaskBody) throws(ClientError) -> String {
        switch task.status {
        case "completed":
            guard let result = task.result else { throw .unexpectedResponse("task \(task.taskID) is completed without a result") }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            guard let data = try? encoder.encode(result) else { throw .unexpectedResponse("the result could not be encoded") }
            return String(decoding: data, as: UTF8.self)
        case "failed":
            throw .taskDidNotComplete(id: task.taskID, status: task.status, message: "Task \(task.taskID) failed: \(describe(task.error))")
        default:
            throw .taskDidNotComplete(id: task.taskID, status: task.status, message: "Task \(task.taskID) was \(task.status).")
        }
    }

    static func describe(_ task: TaskBody) -> String {
        var lines: [(String, String)] = [("task", task.taskID), ("status", task.status), ("submitted", task.submittedAt)]
        if let position = task.queuePosition { lines.append(("queue position", String(position))) }
        if let started = task.startedAt { lines.append(("started", started)) }
        if let completed = task.completedAt { lines.append(("finished", completed)) }
        if let duration = task.durationSeconds { lines.append(("duration", String(format: "%.3f s", duration))) }
        if let shots = task.shots ?? task.result?.shots { lines.append(("shots", String(shots))) }
        if let seed = task.seed ?? task.result?.seed { lines.append(("seed", String(seed))) }
        if let precision = task.precision ?? task.result?.precision { lines.append(("precision", precision)) }
        if let attempts = task.attempts { lines.append(("attempts", String(attempts))) }
        if let result = task.result {
            let counts = result.counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            lines.append(("counts", counts))
        }
        if task.error != nil { lines.append(("error", describe(task.error))) }
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }

    static func table(_ tasks: [TaskSummary]) -> String {
        guard !tasks.isEmpty else { return "no tasks" }
        let rows = [["TASK", "STATUS", "SUBMITTED", "SHOTS", "ATTEMPTS"]] + tasks.map {
            [$0.taskID, $0.status, $0.submittedAt, $0.shots.map(String.init) ?? "-", $0.attempts.map(String.init) ?? "-"]
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    private static func describe(_ error: TaskErrorBody?) -> String {
        guard let error else { return "no error details" }
        var text = "\(error.type): \(error.message)"
        // The worker's messages usually name the position already ("Line 3, column 1: ...").
        if let line = error.line, !error.message.localizedCaseInsensitiveContains("line \(line)") {
            text += " (line \(line)\(error.column.map { ", column \($0)" } ?? ""))"
        }
        return text
    }
}
