/// A JSON document as the API reads and writes it. Numbers keep their source text, so validation can tell
/// `10` from `10.0`, `1.5` and `"10"`; objects keep member order, so responses read in a stable, useful order.
enum JSONValue: Sendable, Equatable {
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

extension Optional where Wrapped == String {
    /// A string, or JSON `null` when absent.
    var json: JSONValue { map(JSONValue.string) ?? .null }
}
