import HTTPTypes
@testable import TaskAPI
import Testing

@Suite struct CorrelationIDTests {
    @Test(arguments: ["a", "req-123.abc_DEF", String(repeating: "x", count: 128)])
    func validIDsAreKept(_ id: String) {
        #expect(CorrelationID.resolve(id) == id)
    }

    @Test(arguments: ["", "has space", "semi;colon", "ünïcode", "new\nline", String(repeating: "x", count: 129)])
    func invalidIDsAreReplacedByAUUID(_ id: String) {
        let resolved = CorrelationID.resolve(id)
        #expect(resolved != id)
        #expect(resolved.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil)
    }

    @Test func missingIDsAreGeneratedFreshEachTime() {
        #expect(CorrelationID.resolve(nil) != CorrelationID.resolve(nil))
    }

    @Test func headerIsEchoedWhenValidAndReplacedWhenNot() async throws {
        try await APITestServer.run(database: try APITestServer.refusingDatabase) { client in
            let echoed = try await client.send(.get, "/", headers: [.correlationID: "client-id_1.2"])
            #expect(echoed.correlationID == "client-id_1.2")

            for invalid in [String(repeating: "a", count: 200), "has spaces in it"] {
                let replaced = try await client.send(.get, "/nope", headers: [.correlationID: invalid])
                let id = try #require(replaced.correlationID)
                #expect(id != invalid)
                #expect(id.wholeMatch(of: /[0-9a-f-]{36}/) != nil)
                #expect(replaced["correlation_id"] == .string(id))
            }

            let generated = try await client.send(.put, "/tasks", body: "{}")
            #expect(generated.correlationID?.count == 36)
            #expect(generated["correlation_id"]?.stringValue == generated.correlationID)
        }
    }
}
