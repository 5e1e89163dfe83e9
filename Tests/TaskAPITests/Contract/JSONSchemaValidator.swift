import Foundation
@testable import TaskAPI

/// Validates a JSON value against a schema of the OpenAPI document, for the subset of JSON Schema the
/// document uses. A keyword it does not know is reported as a problem, not skipped, so a schema can never
/// seem to pass only because its rule went unchecked.
struct JSONSchemaValidator {
    /// The whole document, for `$ref: '#/...'`.
    let document: JSONValue

    /// Keywords that describe but never constrain.
    static let annotations: Set<String> = ["description", "example", "examples", "default", "title", "deprecated"]
    static let constraints: Set<String> = [
        "$ref", "type", "required", "properties", "additionalProperties", "enum", "const", "oneOf", "items",
        "minimum", "maximum", "exclusiveMinimum", "minLength", "maxLength", "minItems", "maxItems", "format", "pattern",
    ]

    /// Each problem names where in the value it is ("$.status_history[0].status") and what is wrong.
    func problems(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard case .object(let members) = schema else {
            return ["\(path): the schema is not an object (\(schema.serialized.prefix(80)))"]
        }
        var problems: [String] = []
        for member in members where !Self.constraints.contains(member.key) && !Self.annotations.contains(member.key) {
            problems.append("\(path): schema keyword \"\(member.key)\" is not supported by the contract validator")
        }
        if let reference = schema["$ref"]?.stringValue {
            guard let target = resolve(reference) else { return problems + ["\(path): unresolvable $ref \(reference)"] }
            return problems + self.problems(value, against: target, at: path)
        }
        if let types = schema["type"] {
            let allowed = types.arrayValue?.compactMap(\.stringValue) ?? types.stringValue.map { [$0] } ?? []
            guard allowed.contains(where: { Self.has(type: $0, value) }) else {
                return problems + ["\(path): expected \(allowed.joined(separator: " or ")), got \(value.typeDescription)"]
            }
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            problems.append("\(path): expected the constant \(constant.serialized), got \(value.serialized.prefix(120))")
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(where: { Self.equal($0, value) }) {
            problems.append("\(path): \(value.serialized.prefix(120)) is not one of \(JSONValue.array(options).serialized)")
        }
        if let alternatives = schema["oneOf"]?.arrayValue {
            let matching = alternatives.filter { self.problems(value, against: $0, at: path).isEmpty }.count
            if matching != 1 {
                problems.append("\(path): matches \(matching) of the \(alternatives.count) oneOf alternatives, not exactly one")
            }
        }
        problems += objectProblems(value, schema, at: path)
        problems += arrayProblems(value, schema, at: path)
        problems += numberProblems(value, schema, at: path)
        problems += stringProblems(value, schema, at: path)
        return problems
    }

    /// Problems with the schema itself, wherever nested: keywords this validator does not check, `$ref`s that
    /// lead nowhere. Run over the whole document by the tests, so no rule can go unchecked unnoticed.
    func schemaProblems(_ schema: JSONValue, at path: String) -> [String] {
        guard case .object(let members) = schema else { return ["\(path): the schema is not an object"] }
        var problems: [String] = []
        for member in members {
            let here = "\(path)/\(member.key)"
            switch member.key {
            case "$ref":
                if member.value.stringValue.flatMap(resolve) == nil { problems.append("\(here): unresolvable") }
            case "properties":
                guard case .object(let properties) = member.value else { problems.append("\(here): not an object"); continue }
                for property in properties { problems += schemaProblems(property.value, at: "\(here)/\(property.key)") }
            case "items":
                problems += schemaProblems(member.value, at: here)
            case "additionalProperties" where member.value != .bool(true) && member.value != .bool(false):
                problems += schemaProblems(member.value, at: here)
            case "oneOf":
                for (index, alternative) in (member.value.arrayValue ?? []).enumerated() {
                    problems += schemaProblems(alternative, at: "\(here)/\(index)")
                }
            case let keyword where !Self.constraints.contains(keyword) && !Self.annotations.contains(keyword):
                problems.append("\(here): schema keyword not supported by the contract validator")
            default:
                break
            }
        }
        return problems
    }

    /// `#/components/schemas/Task` → that node of the document.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }

    private func objectProblems(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        guard case .object(let members) = value else { return [] }
        var problems: [String] = []
        for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where value[name] == nil {
            problems.append("\(path): required property \"\(name)\" is missing")
        }
        let properties = schema["properties"]
        for member in members {
            let memberPath = "\(path).\(member.key)"
            if let propertySchema = properties?[member.key] {
                problems += self.problems(member.value, against: propertySchema, at: memberPath)
            } else if let additional = schema["additionalProperties"] {
                if additional == .bool(false) {
                    problems.append("\(memberPath): not allowed (additionalProperties is false)")
                } else if additional != .bool(true) {
                    problems += self.problems(member.value, against: additional, at: memberPath)
                }
            }
        }
        return problems
    }

    private func arrayProblems(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        guard case .array(let elements) = value else { return [] }
        var problems: [String] = []
        if let minimum = schema["minItems"]?.doubleValue, Double(elements.count) < minimum {
            problems.append("\(path): \(elements.count) items, fewer than \(minimum)")
        }
        if let maximum = schema["maxItems"]?.doubleValue, Double(elements.count) > maximum {
            problems.append("\(path): \(elements.count) items, more than \(maximum)")
        }
        if let items = schema["items"] {
            for (index, element) in elements.enumerated() {
                problems += self.problems(element, against: items, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    private func numberProblems(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        guard let number = value.doubleValue else { return [] }
        var problems: [String] = []
        if let minimum = schema["minimum"]?.doubleValue, number < minimum {
            problems.append("\(path): \(number) is below the minimum \(minimum)")
        }
        if let minimum = schema["exclusiveMinimum"]?.doubleValue, number <= minimum {
            problems.append("\(path): \(number) is not above \(minimum)")
        }
        if let maximum = schema["maximum"]?.doubleValue, number > maximum {
            problems.append("\(path): \(number) is above the maximum \(maximum)")
        }
        return problems
    }

    private func stringProblems(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        guard case .string(let text) = value else { return [] }
        var problems: [String] = []
        if let minimum = schema["minLength"]?.doubleValue, Double(text.count) < minimum {
            problems.append("\(path): shorter than \(minimum) characters")
        }
        if let maximum = schema["maxLength"]?.doubleValue, Double(text.count) > maximum {
            problems.append("\(path): longer than \(maximum) characters")
        }
        if let pattern = schema["pattern"]?.stringValue, text.range(of: pattern, options: .regularExpression) == nil {
            problems.append("\(path): \"\(text.prefix(80))\" does not match \(pattern)")
        }
        switch schema["format"]?.stringValue {
        case "uuid" where UUID(uuidString: text) == nil:
            problems.append("\(path): \"\(text.prefix(80))\" is not a UUID")
        case "date-time" where text.range(of: Self.dateTimePattern, options: .regularExpression) == nil:
            problems.append("\(path): \"\(text.prefix(80))\" is not an RFC 3339 date-time")
        default:
            break
        }
        return problems
    }

    static let dateTimePattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#

    private static func has(type: String, _ value: JSONValue) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("number", .number):
            true
        case ("integer", .number): value.integerLiteral != nil
        default: false
        }
    }

    /// JSON equality: numbers by value (1 == 1.0), objects whatever their member order.
    private static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.number, .number): left.doubleValue == right.doubleValue
        case (.array(let a), .array(let b)): a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)):
            a.count == b.count && a.allSatisfy { member in right[member.key].map { equal(member.value, $0) } ?? false }
        default: left == right
        }
    }
}

extension JSONValue {
    var doubleValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }
}
