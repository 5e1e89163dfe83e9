/// A validated `POST /tasks/batch` body: `{"tasks": [{qc, shots?, seed?}, ...]}`, 1 to 1,000 items, each checked
/// like a `POST /tasks` body. The first bad item is named by its index and field.
struct BatchSubmission: Sendable, Equatable {
    static let maxTasks = 1000
    static let example = #"{"tasks": [{"qc": "OPENQASM 3.0; qubit q; bit c; h q; c = measure q;", "shots": 1024}]}"#

    var tasks: [TaskSubmission]

    init(jsonBody bytes: [UInt8]) throws(APIError) {
        let body = try TaskSubmission.parseObject(bytes, example: Self.example)
        guard let list = body["tasks"], list != .null else {
            throw .validation(field: "tasks", "Field \"tasks\" is required: an array of 1 to \(Self.maxTasks) objects like those POST /tasks takes.")
        }
        guard case .array(let items) = list else {
            throw .validation(field: "tasks", "Field \"tasks\" must be an array of task objects, not \(list.typeDescription).")
        }
        guard (1...Self.maxTasks).contains(items.count) else {
            throw .validation(field: "tasks", "Field \"tasks\" must hold 1 to \(Self.maxTasks) tasks; it holds \(items.count). Split larger batches.")
        }
        var tasks: [TaskSubmission] = []
        tasks.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .object = item else {
                throw Self.itemError(index: index, field: nil, "Task \(index) must be a JSON object with \"qc\" (and optionally \"shots\", \"seed\"), not \(item.typeDescription).")
            }
            do {
                tasks.append(try TaskSubmission(fields: item))
            } catch {
                var field: String?
                if case .string(let name)? = error.details?["field"] { field = name }
                throw Self.itemError(index: index, field: field, "Task \(index): \(error.message)")
            }
        }
        self.tasks = tasks
    }

    private static func itemError(index: Int, field: String?, _ message: String) -> APIError {
        var details: [JSONMember] = [JSONMember(key: "index", value: .integer(index))]
        if let field { details.append(JSONMember(key: "field", value: .string(field))) }
        return APIError(status: .unprocessableContent, code: "validation_error", message: message, details: .object(details))
    }
}
