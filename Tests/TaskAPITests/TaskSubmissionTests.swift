@testable import TaskAPI
import Testing

@Suite struct TaskSubmissionTests {
    private func submission(_ json: String) throws(APIError) -> TaskSubmission {
        try TaskSubmission(jsonBody: Array(json.utf8))
    }

    @Test func acceptsTheDocumentedShapeAndIgnoresUnknownFields() throws {
        #expect(try submission(#"{"qc": "OPENQASM 3.0;", "shots": 100000, "seed": 0, "note": [1]}"#)
            == TaskSubmission(circuit: "OPENQASM 3.0;", shots: 100_000, seed: 0))
        #expect(try submission(#"{"qc": "q", "shots": 1}"#).shots == 1)
        #expect(try submission(#"{"qc": "q", "shots": null, "seed": null}"#) == TaskSubmission(circuit: "q", shots: 1024, seed: nil))
        #expect(try submission(#"{"qc": "q", "seed": 18446744073709551615}"#).seed == .max)
    }

    @Test func precisionIsSingleOrDoubleAndDefaultsToDouble() throws {
        #expect(try submission(#"{"qc": "q"}"#).precision == .double)
        #expect(try submission(#"{"qc": "q", "precision": null}"#).precision == .double)
        #expect(try submission(#"{"qc": "q", "precision": "single"}"#).precision == .single)
        #expect(try submission(#"{"qc": "q", "precision": "double"}"#).precision == .double)
        let accepted = #"Field "precision" must be "single" (complex64, half the memory) or "double" (complex128, the default)"#
        #expect(throws: APIError.validation(field: "precision", accepted + #"; got "half"."#)) {
            try submission(#"{"qc": "q", "precision": "half"}"#)
        }
        #expect(throws: APIError.validation(field: "precision", accepted + #"; got "Single"."#)) {
            try submission(#"{"qc": "q", "precision": "Single"}"#)
        }
        #expect(throws: APIError.validation(field: "precision", accepted + ", not 32.")) {
            try submission(#"{"qc": "q", "precision": 32}"#)
        }
    }

    @Test func keepsTheCircuitTextExactly() throws {
        let text = "OPENQASM 3.0;\n// é \"quoted\"\tqubit q;\n"
        #expect(try submission(#"{"qc": "OPENQASM 3.0;\n// \u00e9 \"quoted\"\tqubit q;\n"}"#).circuit == text)
    }

    @Test func reportsTheFirstBadFieldInOrder() {
        #expect(throws: APIError.validation(field: "qc", "Field \"qc\" is required: the OpenQASM program to run, as a string.")) {
            try submission(#"{"shots": 0, "seed": -1}"#)
        }
        #expect(throws: APIError.validation(field: "shots", "Field \"shots\" must be a whole number from 1 to 100000, not 1e3.")) {
            try submission(#"{"qc": "q", "shots": 1e3, "seed": -1}"#)
        }
    }

    /// What Foundation's JSONDecoder lets through on Linux (it validates only the members it reads), and the reason
    /// request bodies go through JSONParser: each of these is a 400, not an accepted task.
    @Test(arguments: [
        #"{"qc": "q", "note": 01}"#, #"{"qc": "q", "note": 1.}"#, #"{"qc": "q", "note": -}"#, #"{"qc": "q", "note": "\x"}"#,
        "{\"qc\": \"q\", \"note\": \"a\nb\"}",
    ])
    func malformedValuesInUnreadMembersAreNotJSON(_ body: String) {
        do {
            _ = try submission(body)
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.code == "invalid_json", "\(error.message)")
        }
    }
}
