import Testing
@testable import TaskAPI

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\n\u00e9\ud83d\ude00", "c": {}} "#)
        #expect(value == [
            "a": [.number("1"), .number("-2.5e3"), true, false, .null],
            "b": "x\"\\/\né😀",
            "c": .object([]),
        ])
    }

    @Test func keepsNumberTextSoIntegersAreDistinguishable() throws {
        #expect(try parse("10").integerLiteral == "10")
        #expect(try parse("10.0").integerLiteral == nil)
        #expect(try parse("1e3").integerLiteral == nil)
        #expect(try parse("\"10\"").integerLiteral == nil)
        #expect(try parse("true").integerLiteral == nil)
    }

    @Test func lastDuplicateKeyWins() throws {
        #expect(try parse(#"{"k": 1, "k": 2}"#)["k"] == .number("2"))
    }

    @Test(arguments: [
        "", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1 2]", "01", "-", "1.", "1e", "tru", "nul",
        "\"abc", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\u{01}b\"", "{} {}", "{'a': 1}", "NaN",
    ])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
    }

    @Test func reportsTheOffsetOfTheProblem() {
        #expect(throws: JSONSyntaxError(reason: "expected ',' or '}' in an object", offset: 8)) {
            try parse(#"{"a": 1 x}"#)
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func limitsNestingInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try parse(deep) }
        let allowed = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try parse(allowed) }
    }

    @Test func answersAreWrittenWithSortedKeysEscapesAndPlainSlashes() {
        let value: JSONValue = ["b": "q\"\\\n\u{01}é /tasks", "a": [1, true, .null], "n": .number("18446744073709551615")]
        #expect(JSONCoding.text(value) == #"{"a":[1,true,null],"b":"q\"\\\n\u0001é /tasks","n":18446744073709551615}"#)
    }

    @Test func encodedAnswersParseBackToTheSameValue() throws {
        let value: JSONValue = ["list": [[], .object([])], "n": .number("-0.5"), "text": "tab\there \u{7F} \u{1F600}"]
        #expect(try JSONParser.parse(Array(JSONCoding.text(value).utf8)) == value)
    }

    @Test func objectsCompareUnorderedAsJSONDefinesThem() throws {
        #expect(try parse(#"{"a": 1, "b": [2]}"#) == parse(#"{"b": [2], "a": 1}"#))
        #expect(try parse(#"{"a": 1, "b": [2]}"#) != parse(#"{"a": 1, "b": [3]}"#))
        #expect(try parse(#"{"a": 1}"#) != parse(#"{"a": 1, "b": null}"#))
        #expect(try parse("[1, 2]") != parse("[2, 1]"))
    }
}
