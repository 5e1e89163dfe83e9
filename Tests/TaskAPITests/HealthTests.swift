import Foundation
import HTTPTypes
@testable import TaskAPI
import TaskQueue
import Testing
import TestSupport

@Suite struct HealthTests {
    @Test func healthyWhenTheDatabaseAndListenerAreUp() async throws {
        let database = try await TestDatabase.create()
        let response = try await APITestServer.run(database: database.url) { client in
            try await client.waitUntilHealthy()
        }
        #expect(response.status == .ok)
        #expect(response.contentType == "application/json; charset=utf-8")
        #expect(response.json.keys == ["database_status", "queue_status", "status", "timestamp"])
        #expect(response["status"] == "healthy")
        #expect(response["database_status"] == "connected")
        #expect(response["queue_status"] == "connected")
        #expect(response["timestamp"]?.stringValue?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil)
        #expect(response.correlationID != nil)
    }

    @Test func readyAndAliveWhenTheDatabaseIsUp() async throws {
        let database = try await TestDatabase.create()
        let (ready, live) = try await APITestServer.run(database: database.url) { client in
            _ = try await client.waitUntilHealthy()
            return (try await client.send(.get, "/readyz"), try await client.send(.get, "/livez"))
        }
        #expect(ready.status == .ok)
        #expect(ready["status"] == "healthy")
        #expect(live.status == .ok)
        #expect(live.json.keys == ["status", "timestamp"])
    }

    @Test func unhealthyWithin2SecondsWhenNothingListens() async throws {
        try await APITestServer.run(database: try APITestServer.refusingDatabase) { client in
            let start = ContinuousClock.now
            let response = try await client.send(.get, "/health")
            #expect(ContinuousClock.now - start < .seconds(2))
            #expect(response.status == .serviceUnavailable)
            #expect(response["status"] == "unhealthy")
            #expect(response["database_status"] == "disconnected")
            #expect(response["queue_status"] == "disconnected")
            // Readiness says the same; liveness only that the process answers.
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready["database_status"] == "disconnected")
            let live = try await client.send(.get, "/livez")
            #expect(live.status == .ok)
            #expect(live["status"] == "alive")
        }
    }

    /// A server that accepts TCP connections but never speaks: the ping's own deadline must answer.
    @Test func unhealthyWithin2SecondsWhenTheDatabaseHangs() async throws {
        let silent = try SilentTCPServer()
        defer { silent.close() }
        let url = try DatabaseURL("postgres://postgres@127.0.0.1:\(silent.port)/hung")
        try await APITestServer.run(database: url) { client in
            let start = ContinuousClock.now
            let response = try await client.send(.get, "/health")
            #expect(ContinuousClock.now - start < .seconds(2))
            #expect(response.status == .serviceUnavailable)
            #expect(response["database_status"] == "disconnected")
        }
    }

    @Test func timestampFormatting() {
        #expect(ISOTimestamp.string(seconds: 1_795_000_000, microseconds: 250_000) == "2026-11-18T11:06:40.250000Z")
        #expect(ISOTimestamp.string(seconds: 0, microseconds: 0) == "1970-01-01T00:00:00.000000Z")
        #expect(Timestamp.string().wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil)
    }
}
