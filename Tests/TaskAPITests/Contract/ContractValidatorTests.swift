import HTTPTypes
@testable import TaskAPI
import Testing

/// The contract checker itself: it must accept what the document allows and reject each kind of drift,
/// or the contract test (every response the suite receives) would prove nothing.
@Suite struct ContractValidatorTests {
    let contract = OpenAPIContract.served
    var validator: JSONSchemaValidator { JSONSchemaValidator(document: contract.document) }
    var task: JSONValue { contract.document["components"]?["schemas"]?["Task"] ?? .null }

    static let completedTask: JSONValue = [
        "task_id": "8a3c1f9e-2b4d-4c61-9f0e-5d7a2b1c3e4f", "status": "completed",
        "submitted_at": "2026-11-27T03:41:56.123456Z", "message": "Task completed.",
        "result": ["counts": ["00": 510, "11": 490], "shots": 1000, "success": true],
        "status_history": [["status": "pending", "transitioned_at": "2026-11-27T03:41:56.123456Z", "notes": .null]],
        "correlation_id": "abc", "task_correlation_id": .null,
        "shots": 1000, "seed": .null, "precision": "double", "attempts": 1, "started_at": "2026-11-27T03:41:56.2Z",
        "completed_at": "2026-11-27T03:41:56.3Z", "duration_seconds": .number("0.100000"),
    ]

    @Test func theJSONFormKeepsNumbersAndQuotedScalarsOfTheYAML() throws {
        let document = try OpenAPIDocument.convert(yaml: OpenAPIDocument.yaml)
        #expect(document == OpenAPIDocument.json)
        #expect(document["openapi"] == "3.1.0")
        let seed = document["components"]?["schemas"]?["TaskSubmission"]?["properties"]?["seed"]
        #expect(seed?["maximum"] == .number("18446744073709551615"))
        #expect(seed?["type"] == "integer")
        // 'null' quoted in the YAML is the string "null", not JSON null; '200' keys stay strings.
        #expect(document["components"]?["schemas"]?["Task"]?["properties"]?["task_correlation_id"]?["type"] == ["string", "null"])
        #expect(document["paths"]?["/tasks/{id}"]?["get"]?["responses"]?["200"] != nil)
    }

    @Test func everySchemaInTheDocumentUsesOnlySupportedKeywords() {
        var schemas: [(String, JSONValue)] = []
        collectSchemas(contract.document, at: "#", into: &schemas)
        #expect(schemas.count > 20)
        for (location, schema) in schemas {
            let problems = validator.schemaProblems(schema, at: location)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test func aValidTaskPassesAndEachKindOfDriftIsCaught() {
        #expect(validator.problems(Self.completedTask, against: task) == [])
        func problems(_ edit: (inout [JSONMember]) -> Void) -> [String] {
            guard case .object(var members) = Self.completedTask else { return [] }
            edit(&members)
            return validator.problems(.object(members), against: task)
        }
        #expect(problems { $0.removeAll { $0.key == "status_history" } }.contains { $0.contains("\"status_history\" is missing") })
        #expect(problems { $0[1].value = "running" }.contains { $0.contains("$.status") && $0.contains("not one of") })
        #expect(problems { $0[0].value = "not-a-uuid" }.contains { $0.contains("not a UUID") })
        #expect(problems { $0[2].value = "27/11/2026" }.contains { $0.contains("date-time") })
        #expect(problems { $0[4].value = ["counts": ["0": "many"], "shots": 1, "success": true] }.contains { $0.contains("$.result") })
        #expect(problems { $0[4].value = 3 }.contains { $0.contains("oneOf") })
        #expect(problems { $0.append(JSONMember(key: "attempts", value: .number("1.5"))) }.contains { $0.contains("$.attempts: expected integer") })
        #expect(problems { $0.append(JSONMember(key: "queue_position", value: 0)) }.contains { $0.contains("below the minimum") })
        let replayed = contract.document["components"]?["schemas"]?["SubmittedTask"] ?? .null
        let body: JSONValue = [
            "task_id": "8a3c1f9e-2b4d-4c61-9f0e-5d7a2b1c3e4f", "message": "Task already submitted with this Idempotency-Key.",
            "submitted_at": "2026-11-27T03:41:56Z", "correlation_id": "x",
        ]
        #expect(validator.problems(body, against: replayed).contains { $0.contains("constant") })
    }

    @Test func responsesAreCheckedForStatusHeadersAndContentType() {
        let json: HTTPFields = [.contentType: "application/json; charset=utf-8", .correlationID: "c-1"]
        let error = #"{"error":"task_not_found","message":"Task x not found.","correlation_id":"c-1"}"#
        let id = "/tasks/8a3c1f9e-2b4d-4c61-9f0e-5d7a2b1c3e4f"
        #expect(contract.problems(method: .get, uri: id + "?wait=1", status: 404, headers: json, body: error) == [])
        // A status the operation does not list.
        #expect(contract.problems(method: .get, uri: id, status: 418, headers: json, body: error).first?.contains("not listed") == true)
        // X-Correlation-ID is required on every response.
        var withoutID = json
        withoutID[.correlationID] = nil
        #expect(contract.problems(method: .get, uri: id, status: 404, headers: withoutID, body: error).contains { $0.contains("X-Correlation-ID") })
        // 405 needs Allow; an unknown path may only be a 404.
        #expect(contract.problems(method: .delete, uri: id, status: 405, headers: json, body: error).contains { $0.contains("Allow") })
        var allow = json
        allow[.allow] = "GET, HEAD"
        #expect(contract.problems(method: .delete, uri: id, status: 405, headers: allow, body: error) == [])
        #expect(contract.problems(method: .get, uri: "/nope", status: 200, headers: json, body: "{}").count == 1)
        // 202 without Location.
        let submitted = #"{"task_id":"8a3c1f9e-2b4d-4c61-9f0e-5d7a2b1c3e4f","message":"Task submitted successfully.","submitted_at":"2026-11-27T03:41:56Z","correlation_id":"c-1"}"#
        #expect(contract.problems(method: .post, uri: "/tasks", status: 202, headers: json, body: submitted) == ["required header Location is missing"])
        // A literal path wins over a template.
        #expect(contract.pathItem(matching: "/tasks/batch")?.0 == "/tasks/batch")
        #expect(contract.problems(method: .get, uri: "/metrics", status: 200, headers: json, body: "{}").contains { $0.contains("content type") })
    }

    /// Every `schema` of a parameter, header or media type, and every component schema.
    private func collectSchemas(_ node: JSONValue, at location: String, into schemas: inout [(String, JSONValue)]) {
        switch node {
        case .object(let members):
            for member in members {
                let here = "\(location)/\(member.key)"
                if member.key == "schema" || location == "#/components/schemas" {
                    schemas.append((here, member.value))
                } else {
                    collectSchemas(member.value, at: here, into: &schemas)
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() { collectSchemas(element, at: "\(location)/\(index)", into: &schemas) }
        default:
            break
        }
    }
}
