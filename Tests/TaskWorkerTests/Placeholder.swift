import Testing
@testable import TaskWorker
@Test func placeholder() { #expect(Bool(true)) }
