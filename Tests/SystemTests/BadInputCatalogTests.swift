import Foundation
import TaskQueue
import Testing
import TestSupport

/// More than a hundred hostile requests against a real `qtq serve` and `qtq work`: malformed and truncated JSON,
/// wrong types, huge numbers, deep nesting, invalid UTF-8, NUL bytes, broken framing, stalled bodies, oversized
/// headers and bodies, path tricks, and circuits that hit every limit. Each gets its documented 4xx, or is accepted
/// and ends `failed` with a message a person can act on. None gets a 5xx; the processes stay up, and a task
/// submitted before and one submitted after complete correctly.
@Suite(.serialized) struct BadInputCatalogTests {
    enum Expected: Sendable {
        /// This status and (when given) this `error` code in the envelope.
        case error(Int, String?)
        /// 202, then the task ends `failed` with a message containing this text, located by line and column
        /// when `located`.
        case failedTask(String, located: Bool)
        /// 202, then the task completes (unknown fields, repeated keys).
        case completedTask
        /// The answer is the client's fault or none at all (the client broke the connection), never a 5xx.
        case no5xx
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var bytes: [UInt8]
        var expected: Expected
        var closeSendingHalf = false
        var description: String { name }
    }

    static let stdgates = #"OPENQASM 3.0; include \"stdgates.inc\"; "#
    static let bell = #"OPENQASM 3.0; include \"stdgates.inc\"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; c = measure q;"#

    static func post(_ body: String, to path: String = "/tasks", headers: [(String, String)] = []) -> [UInt8] {
        RawHTTP.request("POST", path, body: Array(body.utf8), headers: headers)
    }

    static func postBytes(_ body: [UInt8]) -> [UInt8] { RawHTTP.request("POST", "/tasks", body: body) }

    static func get(_ target: String) -> [UInt8] { RawHTTP.request("GET", target) }

    static func circuit(_ name: String, _ source: String, _ message: String, located: Bool = true, shots: Int = 100) -> Case {
        Case(name: "circuit: \(name)", bytes: post(#"{"qc": "\#(source)", "shots": \#(shots)}"#), expected: .failedTask(message, located: located))
    }

    static var cases: [Case] {
        var cases: [Case] = []
        func add(_ name: String, _ bytes: [UInt8], _ expected: Expected, closeSendingHalf: Bool = false) {
            cases.append(Case(name: name, bytes: bytes, expected: expected, closeSendingHalf: closeSendingHalf))
        }
        // Not JSON, or truncated: 400 invalid_json.
        let invalidJSON = [
            "{", "}", #"{"qc":}"#, #"{"qc": "x",}"#, "[", "nul", #"{"qc": "x"} x"#, "{'qc': 'x'}", #"{"qc": "x" "shots": 1}"#,
            #"{"qc": "\u12"}"#, #"{"qc": "\x"}"#, "{\"qc\": \"line\nbreak\"}", #"{"qc": "x", "shots": 01}"#,
            #"{"qc": "x", "shots": +1}"#, #"{"qc": "x", "shots": .5}"#, #"{"qc": "x", "shots": 1.}"#,
            #"{"qc": "x", "shots": NaN}"#, #"{"qc": "x", "shots": Infinity}"#, #"{"qc": "x", "shots": -}"#,
            #"{"qc": "OPENQASM 3.0; qubit q;"#, #"{"qc": "x", "shots": 1"#, #"{"qc""#, "   \n\t", "",
            String(repeating: "[", count: 100_000), #"{"qc": "x", "a": "# + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}",
            #"{"qc": "x", "shots": 1e}"#, "{\"qc\": \"x\"\u{0}}", "\u{0}",
        ]
        for (index, body) in invalidJSON.enumerated() { add("invalid JSON #\(index): \(body.prefix(30))", post(body), .error(400, "invalid_json")) }
        // Invalid UTF-8, inside a string and outside one.
        add("invalid UTF-8 in a string", postBytes(Array(#"{"qc": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)), .error(400, "invalid_json"))
        add("overlong UTF-8 encoding", postBytes(Array(#"{"qc": ""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8)), .error(400, "invalid_json"))
        add("truncated UTF-8 sequence", postBytes(Array(#"{"qc": ""#.utf8) + [0xE2, 0x82] + Array(#""}"#.utf8)), .error(400, "invalid_json"))
        add("invalid UTF-8 outside strings", postBytes([0xFF] + Array(#"{"qc": "x"}"#.utf8)), .error(400, "invalid_json"))

        // JSON, but the wrong shape or type: 422 validation_error.
        let invalidFields = [
            #"{"qc": 5}"#, #"{"qc": true}"#, #"{"qc": null}"#, #"{"qc": []}"#, #"{"qc": {}}"#, #"{"qc": ""}"#, #"{"qc": "   "}"#,
            #"{"shots": 10}"#, #"{"qc": "x\u0000y"}"#,
            #"{"qc": "x", "shots": "10"}"#, #"{"qc": "x", "shots": 1.5}"#, #"{"qc": "x", "shots": 1e3}"#, #"{"qc": "x", "shots": -1}"#,
            #"{"qc": "x", "shots": 0}"#, #"{"qc": "x", "shots": 100001}"#, #"{"qc": "x", "shots": true}"#, #"{"qc": "x", "shots": []}"#,
            #"{"qc": "x", "shots": {}}"#, #"{"qc": "x", "shots": 1e400}"#, #"{"qc": "x", "shots": 99999999999999999999999999}"#,
            #"{"qc": "x", "shots": -0}"#, #"{"qc": "x", "seed": -1}"#, #"{"qc": "x", "seed": "7"}"#, #"{"qc": "x", "seed": 1.5}"#,
            #"{"qc": "x", "seed": 18446744073709551616}"#, #"{"qc": "x", "seed": true}"#, "[]", #""x""#, "5", "null", "true",
        ]
        for (index, body) in invalidFields.enumerated() { add("invalid field #\(index): \(body.prefix(40))", post(body), .error(422, "validation_error")) }

        // Accepted as documented: unknown fields are ignored, a repeated key's last value counts.
        add("unknown fields", post(#"{"qc": "\#(bell)", "shots": 10, "priority": {"deep": [1, [2, [3]]]}, "qc2": null}"#), .completedTask)
        add("repeated key", post(#"{"qc": "x", "qc": "\#(bell)", "shots": 10}"#), .completedTask)
        add("over-long correlation id is replaced", post(#"{"qc": "\#(bell)", "shots": 10}"#, headers: [("X-Correlation-ID", String(repeating: "c", count: 500))]), .completedTask)

        // Sizes and framing.
        add("body over 1 MiB", post(#"{"qc": ""# + String(repeating: "x", count: 1 << 20) + #""}"#), .error(413, "payload_too_large"))
        add("declared 1 TB body", RawHTTP.request("POST", "/tasks", body: Array("{}".utf8), contentLength: "1000000000000"), .error(413, "payload_too_large"))
        add("negative Content-Length", RawHTTP.request("POST", "/tasks", body: Array("{}".utf8), contentLength: "-1"), .error(400, nil))
        add("non-numeric Content-Length", RawHTTP.request("POST", "/tasks", body: Array("{}".utf8), contentLength: "ten"), .error(400, nil))
        add("Content-Length and chunked together", Array("POST /tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8), .error(400, nil))
        add("malformed chunk size", Array("POST /tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".utf8), .error(400, nil))
        add("absurd chunk size", Array("POST /tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nx\r\n".utf8), .no5xx, closeSendingHalf: true)
        add("chunked body over the limit", Array("POST /tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            + Array((String(repeating: "100000\r\n" + String(repeating: "x", count: 0x100000) + "\r\n", count: 2) + "0\r\n\r\n").utf8), .error(413, "payload_too_large"))
        add("body shorter than declared, then EOF", RawHTTP.request("POST", "/tasks", body: Array(#"{"qc":"#.utf8), contentLength: "100"), .no5xx, closeSendingHalf: true)
        add("stalled body", RawHTTP.request("POST", "/tasks", body: Array("{".utf8), contentLength: "100"), .error(408, "request_timeout"))
        add("100 KB header", RawHTTP.request("GET", "/health", headers: [("X-Big", String(repeating: "a", count: 100_000))]), .error(400, nil))
        add("2,000 headers", RawHTTP.request("GET", "/health", headers: (0..<2000).map { ("X-H\($0)", "v") }), .error(400, nil))
        add("garbage request line", Array("HELLO\r\n\r\n".utf8), .error(400, nil))
        add("binary junk", [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03, 0x0D, 0x0A, 0x0D, 0x0A], .error(400, nil))
        add("NUL in the request line", Array("GET /tasks\u{0} HTTP/1.1\r\nHost: x\r\n\r\n".utf8), .error(400, nil))
        add("empty Idempotency-Key", post(#"{"qc": "x"}"#, headers: [("Idempotency-Key", "")]), .error(400, "invalid_idempotency_key"))
        add("non-ASCII Idempotency-Key", post(#"{"qc": "x"}"#, headers: [("Idempotency-Key", "clé")]), .error(400, "invalid_idempotency_key"))
        add("over-long Idempotency-Key", post(#"{"qc": "x"}"#, headers: [("Idempotency-Key", String(repeating: "k", count: 256))]), .error(400, "invalid_idempotency_key"))

        // Paths and query strings.
        let unknownID = UUID().uuidString
        add("dot-dot path", get("/tasks/../../etc/passwd"), .no5xx)
        add("encoded dot-dot id", get("/tasks/%2e%2e%2fetc"), .error(400, "invalid_task_id"))
        add("SQL in the id", get("/tasks/'%20OR%201=1--"), .error(400, "invalid_task_id"))
        add("NUL after the id", get("/tasks/\(unknownID)%00"), .error(400, "invalid_task_id"))
        add("10 KB id", get("/tasks/" + String(repeating: "a", count: 10_000)), .error(400, "invalid_task_id"))
        add("upper-case unknown UUID", get("/tasks/\(unknownID)"), .error(404, "task_not_found"))
        add("too many segments", get("/tasks/\(unknownID)/cancel/now"), .error(404, "not_found"))
        add("unknown path", get("/admin"), .error(404, "not_found"))
        add("encoded NUL path", get("/%00"), .error(404, "not_found"))
        add("unknown method", RawHTTP.request("BREW", "/tasks"), .no5xx)
        add("DELETE a task", RawHTTP.request("DELETE", "/tasks/\(unknownID)"), .error(405, "method_not_allowed"))
        add("absolute-form target", get("http://evil.example/tasks"), .no5xx)
        add("asterisk target", RawHTTP.request("OPTIONS", "*"), .no5xx)
        add("wait=1e309", get("/tasks/\(unknownID)?wait=1e309"), .error(400, "invalid_parameter"))
        add("wait=-5", get("/tasks/\(unknownID)?wait=-5"), .error(400, "invalid_parameter"))
        add("limit=-1", get("/tasks?limit=-1"), .error(400, "invalid_parameter"))
        add("limit=2^70", get("/tasks?limit=1180591620717411303424"), .error(400, "invalid_parameter"))
        add("since=not-a-date", get("/tasks?since=yesterday"), .error(400, "invalid_parameter"))
        add("until in year 99999", get("/tasks?until=99999-01-01"), .error(400, "invalid_parameter"))
        add("since on February 30", get("/tasks?since=2026-02-30"), .error(400, "invalid_parameter"))
        add("since with a 99-hour offset", get("/tasks?since=2026-11-30T10:00:00+99:00"), .error(400, "invalid_parameter"))
        add("until with an hour of 25", get("/tasks?until=2026-11-30T25:00:00Z"), .error(400, "invalid_parameter"))
        add("forged cursor", get("/tasks?cursor=" + String(repeating: "A", count: 1000)), .error(400, "invalid_parameter"))
        add("SQL in status", get("/tasks?status=pending%27%3B%20DROP%20TABLE%20tasks%3B--"), .error(400, "invalid_parameter"))
        add("unknown parameter", get("/tasks?drop=tasks"), .error(400, "invalid_parameter"))
        add("cancel a bad id", RawHTTP.request("POST", "/tasks/nope/cancel"), .error(400, "invalid_task_id"))
        add("cancel an unknown task", RawHTTP.request("POST", "/tasks/\(unknownID)/cancel"), .error(404, "task_not_found"))

        // Batches.
        add("batch: tasks not an array", post(#"{"tasks": "x"}"#, to: "/tasks/batch"), .error(422, "validation_error"))
        add("batch: no tasks", post(#"{}"#, to: "/tasks/batch"), .error(422, "validation_error"))
        add("batch: empty", post(#"{"tasks": []}"#, to: "/tasks/batch"), .error(422, "validation_error"))
        add("batch: bad item", post(#"{"tasks": [{"qc": "x"}, {"qc": 5}]}"#, to: "/tasks/batch"), .error(422, "validation_error"))
        add("batch: 1,001 items", post(#"{"tasks": ["# + Array(repeating: #"{"qc": "x"}"#, count: 1001).joined(separator: ",") + "]}", to: "/tasks/batch"), .error(422, "validation_error"))
        add("batch: not JSON", post("{tasks", to: "/tasks/batch"), .error(400, "invalid_json"))
        add("batch: declared 20 MB", RawHTTP.request("POST", "/tasks/batch", body: Array("{}".utf8), contentLength: "20000000"), .error(413, "payload_too_large"))

        // Circuits that hit every limit, or are wrong: accepted, then failed with a located message.
        let s = stdgates
        cases += [
            circuit("more qubits than the worker allows", "OPENQASM 3.0; qubit[21] q;", "qubits"),
            circuit("qubit count beyond any integer", "OPENQASM 3.0; qubit[99999999999999999999] q;", "too large"),
            circuit("zero qubits", "OPENQASM 3.0; qubit[0] q;", "at least one qubit"),
            circuit("too many classical bits", "OPENQASM 3.0; bit[4096] a; bit[4096] b;", "classical bits"),
            circuit("oversized bit register", "OPENQASM 3.0; bit[5000] a;", "between 1 and 4096"),
            // Stopped by the loop limit or, on a slow machine, by the 6 s time limit first.
            circuit("endless while loop", "\(s)qubit q; while (true) { x q; }", "limit"),
            circuit("for loop over the limit", "\(s)qubit q; for int i in [0:2000000000] { x q; }", "limit"),
            circuit("result too large", "\(s)qubit[16] q; bit[2048] a; bit[2048] b; h q; for int i in [0:15] { a[i] = measure q[i]; b[i] = measure q[i]; }", "result limit", located: false, shots: 100_000),
            circuit("over the time limit", "\(s)qubit[20] q; for int l in [1:100000] { for int i in [0:18] { rx(0.1) q[i]; cx q[i], q[i + 1]; } }", "time limit", located: false),
            circuit("syntax error", "OPENQASM 3.0;\\nqubit q;\\nh q", "Expected ';'"),
            circuit("unknown gate", "OPENQASM 3.0; qubit q; foo q;", "not defined"),
            circuit("unsupported version", "OPENQASM 4.0; qubit q;", "not supported"),
            circuit("expression nested 5,000 deep", "\(s)qubit q; rx(" + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + ") q;", "nesting"),
            circuit("blocks nested 3,000 deep", "\(s)qubit q; " + String(repeating: "if (true) { ", count: 3000) + "x q; " + String(repeating: "} ", count: 3000), "nesting"),
            circuit("recursive gate", "OPENQASM 3.0; gate a q { a q; } qubit q; a q;", "recursive"),
            circuit("recursive subroutine", "OPENQASM 3.0; def f(int n) -> int { return f(n); } int a = f(1); qubit q;", "nested deeper"),
            circuit("include outside the library", "OPENQASM 3.0; include \\\"/etc/passwd\\\"; qubit q;", "Cannot include"),
            circuit("index out of range", "\(s)qubit[2] q; x q[5];", "out of range"),
            circuit("division by zero", "\(s)qubit q; int a = 1 / 0; rx(a) q;", "Division by zero"),
            circuit("integer literal too large", "OPENQASM 3.0; int a = 999999999999999999999999999999;", "too large"),
            circuit("array too large", "OPENQASM 3.0; array[int, 99999999] a;", "Array sizes"),
            circuit("redeclaration", "OPENQASM 3.0; qubit q; qubit q;", "already declared"),
            circuit("measure width mismatch", "OPENQASM 3.0; qubit[2] q; bit[1] c; c = measure q;", "Cannot measure"),
            circuit("unclosed string", "OPENQASM 3.0; qubit q; \\\"abc", "never closed"),
            circuit("repeated qubit operand", "\(s)qubit[2] q; cx q[0], q[0];", "same qubit"),
            circuit("undeclared register", "\(s)qubit q; c = measure q;", "not declared"),
            circuit("not a program at all", "SELECT * FROM tasks;", "Expected"),
        ]
        return cases
    }

    @Test func everyHostileRequestGetsAClearAnswerAndHarmsNothing() async throws {
        let harness = try await Harness.make()
        // 6 s: the result-limit case takes over 2 s in a debug build on a busy machine and would end on the time limit.
        let worker = try harness.startWorker(id: "catalog", concurrency: 2, extra: [
            "QTQ_MAX_QUBITS": "20", "QTQ_TASK_TIME_LIMIT_SECONDS": "6",
        ])
        defer { worker.signal(SIGKILL) }
        let (api, client) = try await harness.startAPI(extra: ["QTQ_REQUEST_BODY_TIMEOUT_SECONDS": "2"])
        defer { api.signal(SIGKILL) }
        let port = try #require(Int(client.baseURL.port ?? 0) as Int?)
        #expect(try await harness.waitForListeners(2))

        let before = try #require(try await client.send("POST", "tasks", json: ["qc": Self.bell.replacingOccurrences(of: "\\\"", with: "\""), "shots": 1000, "seed": 5]).taskID)

        let cases = Self.cases
        #expect(cases.count >= 100)
        var serverErrors: [String] = []
        var tasks: [(Case, UUID)] = []
        for item in cases {
            let answer = try await RawHTTP.exchange(port: port, item.bytes, closeSendingHalf: item.closeSendingHalf)
            let status = answer.status
            if let status, status >= 500 { serverErrors.append("\(item.name): \(answer.text.prefix(300))") }
            let code = answer.json?["error"] as? String
            switch item.expected {
            case .error(let expectedStatus, let expectedCode):
                #expect(status == expectedStatus, "\(item.name): \(answer.text.prefix(300))")
                if let expectedCode {
                    #expect(code == expectedCode, "\(item.name): \(answer.text.prefix(300))")
                    let message = answer.json?["message"] as? String ?? ""
                    #expect(message.count >= 20, "\(item.name): a message a person can act on, got \"\(message)\"")
                }
            case .failedTask, .completedTask:
                #expect(status == 202, "\(item.name): \(answer.text.prefix(300))")
                if let id = (answer.json?["task_id"] as? String).flatMap(UUID.init(uuidString:)) { tasks.append((item, id)) }
            case .no5xx:
                #expect(status.map { $0 < 500 } ?? true, "\(item.name): \(answer.text.prefix(300))")
            }
        }
        #expect(serverErrors.isEmpty, "5xx answers:\n\(serverErrors.joined(separator: "\n"))")

        for (item, id) in tasks {
            let record = try await harness.waitFor(id, status: [.completed, .failed, .cancelled], timeout: .seconds(60))
            switch item.expected {
            case .failedTask(let text, let located):
                #expect(record?.status == .failed, "\(item.name): \(String(describing: record?.status))")
                let failure = record?.failure
                #expect(failure?.message.contains(text) == true, "\(item.name): \(failure?.message ?? "no error")")
                #expect((failure?.message.count ?? 0) >= 15, "\(item.name)")
                if located { #expect(failure?.line != nil && failure?.column != nil, "\(item.name): \(String(describing: failure))") }
            case .completedTask:
                #expect(record?.status == .completed, "\(item.name): \(String(describing: record?.failure))")
            case .error, .no5xx:
                break
            }
        }

        // Nothing else was harmed: the processes are up, healthy, and tasks before and after complete correctly.
        #expect(api.isRunning, "API log:\n\(api.log.suffix(2000))")
        #expect(worker.isRunning, "worker log:\n\(worker.log.suffix(2000))")
        #expect(try await client.send("GET", "health").status == 200)
        let after = try #require(try await client.send("POST", "tasks", json: ["qc": Self.bell.replacingOccurrences(of: "\\\"", with: "\""), "shots": 1000, "seed": 5]).taskID)
        for id in [before, after] {
            let done = try await harness.waitFor(id, status: [.completed, .failed], timeout: .seconds(60))
            #expect(done?.status == .completed)
            #expect(done?.result?.counts.values.reduce(0, +) == 1000)
            let outcomes = Set(done?.result?.counts.keys.map { $0 } ?? ["none"])
            #expect(outcomes.isSubset(of: ["00", "11"]))
        }
        #expect(!api.log.contains("Fatal error") && !worker.log.contains("Fatal error"))
    }
}
