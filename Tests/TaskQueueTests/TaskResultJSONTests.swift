import Foundation
import TaskQueue
import Testing

@Suite struct TaskResultJSONTests {
    @Test(arguments: [
        TaskResult(counts: ["00": 512, "11": 512], shots: 1024, success: true, seed: 42),
        TaskResult(counts: ["0 1": 3, "1 0": 7], shots: 10, success: true, seed: nil),
        TaskResult(counts: [:], shots: 1, success: false, seed: UInt64.max),
        TaskResult(counts: ["a\"b\\c\n\u{1}": 1], shots: 1),
        TaskResult(counts: ["1": 3], shots: 3, seed: 9, precision: .single),
        TaskResult(counts: ["0": 3], shots: 3, precision: .double),
    ])
    func handWrittenJSONDecodesLikeTheEncodersOutput(result: TaskResult) throws {
        let decoded = try JSONDecoder().decode(TaskResult.self, from: Data(result.jsonText.utf8))
        #expect(decoded == result)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let viaEncoder = try JSONDecoder().decode(TaskResult.self, from: try encoder.encode(result))
        #expect(decoded == viaEncoder)
    }

    /// The exact bytes stored: what the piece-by-piece writer produced before the byte writer replaced it.
    @Test(arguments: [
        (TaskResult(counts: ["00": 512, "11": 512], shots: 1024, success: true, seed: 42),
         #"{"counts":{"00":512,"11":512},"seed":42,"shots":1024,"success":true}"#),
        (TaskResult(counts: [:], shots: 1, success: false, seed: UInt64.max),
         #"{"counts":{},"seed":18446744073709551615,"shots":1,"success":false}"#),
        (TaskResult(counts: ["a\"b\\c\n\u{1}": 1, "é 0": -3], shots: 0),
         #"{"counts":{"a\"b\\c\u000a\u0001":1,"é 0":-3},"shots":0,"success":true}"#),
        (TaskResult(counts: ["1": 3], shots: 3, seed: 9, precision: .single),
         #"{"counts":{"1":3},"precision":"single","seed":9,"shots":3,"success":true}"#),
    ])
    func storedTextIsUnchanged(result: TaskResult, text: String) {
        #expect(result.jsonText == text)
    }
}
