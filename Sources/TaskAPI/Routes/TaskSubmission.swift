import TaskQueue

/// A validated `POST /tasks` body. Parsed by hand from JSON so that a body that is not JSON (400) is told
/// apart from a field that is wrong (422), and each message names the field and what would be accepted.
struct TaskSubmission: Sendable, Equatable {
    static let shotsRange = TaskLimits.shots
    static let defaultShots = TaskLimits.defaultShots
    static let example = #"{"qc": "OPENQASM 3.0; qubit q; bit c; h q; c = measure q;", "shots": 1024}"#

    var circuit: String
    var shots: Int
    var seed: UInt64?
    var precision: TaskPrecision

    init(circuit: String, shots: Int = defaultShots, seed: UInt64? = nil, precision: TaskPrecision = .double) {
        self.circuit = circuit
        self.shots = shots
        self.seed = seed
        self.precision = precision
    }

    init(jsonBody bytes: [UInt8]) throws(APIError) {
        let body = try Self.parseObject(bytes, example: Self.example)
        try self.init(fields: body)
    }

    /// The body as a JSON object: 400 when it is not JSON, 422 when it is JSON but not an object.
    static func parseObject(_ bytes: [UInt8], example: String) throws(APIError) -> JSONValue {
        guard bytes.contains(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) else {
            throw .invalidJSON("The request body is empty; send a JSON object such as \(example).")
        }
        let body: JSONValue
        do {
            body = try JSONParser.parse(bytes)
        } catch {
            throw .invalidJSON("The request body is not valid JSON (\(error.reason) at byte \(error.offset)); send a JSON object such as \(example).")
        }
        guard case .object = body else {
            throw APIError(
                status: .unprocessableContent, code: "validation_error",
                message: "The request body must be a JSON object, not \(body.typeDescription); send one such as \(example)."
            )
        }
        return body
    }

    /// From a parsed JSON object (one item of a batch, or a whole `POST /tasks` body).
    init(fields body: JSONValue) throws(APIError) {
        circuit = try Self.circuit(body["qc"])
        shots = try Self.shots(body["shots"])
        seed = try Self.seed(body["seed"])
        precision = try Self.precision(body["precision"])
    }

    private static func circuit(_ value: JSONValue?) throws(APIError) -> String {
        guard let value, value != .null else {
            throw .validation(field: "qc", "Field \"qc\" is required: the OpenQASM program to run, as a string.")
        }
        guard case .string(let text) = value else {
            throw .validation(field: "qc", "Field \"qc\" must be a string holding the OpenQASM program, not \(value.typeDescription).")
        }
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw .validation(field: "qc", "Field \"qc\" must not be empty; send the OpenQASM program text.")
        }
        // PostgreSQL text cannot hold NUL, and no OpenQASM program needs one.
        guard !text.unicodeScalars.contains("\u{0}") else {
            throw .validation(field: "qc", "Field \"qc\" must not contain NUL characters (\\u0000).")
        }
        return text
    }

    private static func shots(_ value: JSONValue?) throws(APIError) -> Int {
        guard let value, value != .null else { return defaultShots }
        let expectation = "a whole number from \(shotsRange.lowerBound) to \(shotsRange.upperBound)"
        guard let literal = value.integerLiteral else {
            throw .validation(field: "shots", "Field \"shots\" must be \(expectation), not \(describe(value)).")
        }
        guard let shots = Int(literal), shotsRange.contains(shots) else {
            throw .validation(field: "shots", "Field \"shots\" must be \(expectation); got \(literal.prefix(40)).")
        }
        return shots
    }

    private static func seed(_ value: JSONValue?) throws(APIError) -> UInt64? {
        guard let value, value != .null else { return nil }
        let expectation = "a whole number from 0 to \(UInt64.max)"
        guard let literal = value.integerLiteral else {
            throw .validation(field: "seed", "Field \"seed\" must be \(expectation), not \(describe(value)).")
        }
        guard let seed = UInt64(literal) else {
            throw .validation(field: "seed", "Field \"seed\" must be \(expectation); got \(literal.prefix(40)).")
        }
        return seed
    }

    private static func precision(_ value: JSONValue?) throws(APIError) -> TaskPrecision {
        guard let value, value != .null else { return .double }
        let expectation = "\"single\" (complex64, half the memory) or \"double\" (complex128, the default)"
        guard case .string(let text) = value else {
            throw .validation(field: "precision", "Field \"precision\" must be \(expectation), not \(describe(value)).")
        }
        guard let precision = TaskPrecision(rawValue: text) else {
            throw .validation(field: "precision", "Field \"precision\" must be \(expectation); got \"\(text.prefix(40))\".")
        }
        return precision
    }

    /// "1.5", "a string", "a boolean": what the client sent, briefly.
    private static func describe(_ value: JSONValue) -> String {
        if case .number(let text) = value { return String(text.prefix(40)) }
        return value.typeDescription
    }
}
