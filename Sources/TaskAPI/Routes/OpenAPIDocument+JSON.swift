import Yams

extension OpenAPIDocument {
    /// The document as JSON (`GET /openapi.json`), converted once from the YAML source so the two can never
    /// disagree. The YAML stays the source: it is the form people read and edit.
    static let json: JSONValue = {
        do {
            return try convert(yaml: yaml)
        } catch {
            // A constant that does not parse is a defect of this build (the tests parse it), not a runtime condition.
            preconditionFailure("OpenAPIDocument.yaml is not valid YAML: \(error)")
        }
    }()

    /// The JSON text served, rendered once.
    static let jsonText: String = JSONCoding.text(json)

    struct ConversionError: Error, CustomStringConvertible {
        var description: String
    }

    /// Converts a YAML document to JSON: mappings keep their key order, plain scalars become JSON's null,
    /// booleans and numbers where YAML 1.1 resolves them so; quoted scalars stay strings ('null', '200').
    static func convert(yaml: String) throws -> JSONValue {
        guard let root = try Yams.compose(yaml: yaml) else { throw ConversionError(description: "the document is empty") }
        return try convert(root)
    }

    private static func convert(_ node: Node) throws -> JSONValue {
        switch node {
        case .mapping(let mapping):
            return .object(try mapping.map { key, value in
                guard let name = key.scalar?.string else {
                    throw ConversionError(description: "a mapping key is not a scalar (\(key.mark.map(String.init(describing:)) ?? "?"))")
                }
                return JSONMember(key: name, value: try convert(value))
            })
        case .sequence(let sequence):
            return .array(try sequence.map { try convert($0) })
        case .scalar(let scalar):
            return scalarValue(node, text: scalar.string)
        case .alias:
            throw ConversionError(description: "aliases are not used in the OpenAPI document")
        }
    }

    private static func scalarValue(_ node: Node, text: String) -> JSONValue {
        switch node.tag.rawValue {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: return node.bool.map(JSONValue.bool) ?? .string(text)
        case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
            // Kept as written (so 18446744073709551615 survives) when it is already a JSON number.
            return isJSONNumber(text) ? .number(text) : .string(text)
        default: return .string(text)
        }
    }

    private static func isJSONNumber(_ text: String) -> Bool {
        (try? JSONParser.parse(Array(text.utf8))).map { if case .number = $0 { true } else { false } } ?? false
    }
}
