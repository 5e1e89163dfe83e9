extension JSONValue: Encodable {
    /// Any member name.
    struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let members):
            var object = encoder.container(keyedBy: MemberKey.self)
            for member in members { try object.encode(member.value, forKey: MemberKey(stringValue: member.key)) }
        case .array(let elements):
            var array = encoder.unkeyedContainer()
            for element in elements { try array.encode(element) }
        case .null:
            var value = encoder.singleValueContainer()
            try value.encodeNil()
        case .bool(let bool):
            var value = encoder.singleValueContainer()
            try value.encode(bool)
        case .string(let string):
            var value = encoder.singleValueContainer()
            try value.encode(string)
        case .number(let text):
            // The encoder takes numbers, not text: exact for every integer a JSON document here holds.
            var value = encoder.singleValueContainer()
            if let integer = Int64(text) {
                try value.encode(integer)
            } else if let integer = UInt64(text) {
                try value.encode(integer)
            } else {
                try value.encode(Double(text) ?? 0)
            }
        }
    }
}
