import HTTPTypes
import Hummingbird
@testable import TaskAPI
import Testing

@Suite struct RouteTableTests {
    let table = RouteTable([
        Endpoint(.post, "/tasks") { _, _ in Response(status: .ok) },
        Endpoint(.get, "/tasks/{id}") { _, _ in Response(status: .ok) },
        Endpoint(.delete, "/tasks/{id}") { _, _ in Response(status: .ok) },
        Endpoint(.get, "/") { _, _ in Response(status: .ok) },
    ])

    @Test func allowedMethodsFollowTheTemplates() {
        #expect(table.allowedMethods(forPath: "/tasks") == [.post])
        #expect(table.allowedMethods(forPath: "/tasks/") == [.post])
        #expect(table.allowedMethods(forPath: "/tasks/abc") == [.get, .head, .delete])
        #expect(table.allowedMethods(forPath: "/") == [.get, .head])
        #expect(table.allowedMethods(forPath: "/tasks/abc/def").isEmpty)
        #expect(table.allowedMethods(forPath: "/other").isEmpty)
    }

    @Test func templatesLabelPathsWithoutTheirIDs() {
        #expect(table.template(forPath: "/tasks/123") == "/tasks/{id}")
        #expect(table.template(forPath: "/") == "/")
        #expect(table.template(forPath: "/zzz") == nil)
    }
}
