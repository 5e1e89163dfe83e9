import Foundation
import TaskQueue
import Testing

@Suite struct UUIDRandomTests {
    @Test func randomUUIDsAreVersion4WithTheRFCVariantAndDistinct() {
        var seen = Set<UUID>()
        for _ in 0..<1000 {
            let id = UUID.makeRandom()
            let text = id.uuidString
            #expect(Array(text)[14] == "4", "\(text)")
            #expect("89AB".contains(Array(text)[19]), "\(text)")
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }

    @Test func lowercasedStringIsFoundationsTextInLowercase() {
        for id in [UUID.makeRandom(), UUID(uuid: (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255)), UUID()] {
            #expect(id.lowercasedString == id.uuidString.lowercased())
            #expect(UUID(uuidString: id.lowercasedString) == id)
        }
    }
}
