/// A JSON document as `JSONParser` reads a request body, and the documents whose shape is not a Swift type (the
/// OpenAPI document converted from YAML, the index, error details), which `JSONCoding.encoder` writes like every
/// other answer. Numbers keep their source text, so validation can tell `10` from `10.0`, `1.5` and `"10"`, and
/// 18446744073709551615 survives.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    static func integer(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    /// The member named `key` (the last one when a client repeats a key, as most parsers do).
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// The literal when it is written as a plain integer (no fraction, no exponent).
    var integerLiteral: String? {
        guard case .number(let text) = self, !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else {
            return nil
        }
        return text
    }

    /// Names the JSON type for error messages ("a number", "a string", ...).
    var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue: Equatable {
    /// Objects compare as JSON defines them, unordered (RFC 8259 §4), with a repeated key's last value: so an answer
    /// the encoder wrote with sorted keys equals the value it was written from.
    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): members(a) == members(b)
        default: false
        }
    }

    private static func members(_ list: [JSONMember]) -> [String: JSONValue] {
        Dictionary(list.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }
}

struct JSONMember: Sendable, Equatable {
    var key: String
    var value: JSONValue
}

extension JSONValue: ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral
{
    init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { JSONMember(key: $0.0, value: $0.1) })
    }

    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(stringLiteral value: String) { self = .string(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(integerLiteral value: Int) { self = .integer(value) }
}
