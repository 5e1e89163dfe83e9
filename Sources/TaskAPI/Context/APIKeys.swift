/// `QTQ_API_KEYS`: `name=secret` pairs, comma-separated. A request's `Authorization: Bearer <secret>` picks its key;
/// the key's name owns the tasks it submits (stored in `tasks.owner`; the secret is never stored or logged).
public struct APIKeys: Sendable {
    private var owners: [(secret: [UInt8], name: String)] = []

    public init(_ setting: String) throws(APIKeysError) {
        for entry in setting.split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else {
                throw APIKeysError("Each QTQ_API_KEYS entry must be name=secret, like alice=s3cret-token; got \"\(entry.prefix(20))...\".")
            }
            let name = String(parts[0])
            let secret = String(parts[1])
            guard CorrelationID.isValid(name), name.utf8.count <= 64 else {
                throw APIKeysError("API key name \"\(name.prefix(64))\" must be 1 to 64 characters of A-Z a-z 0-9 . _ -.")
            }
            guard secret.utf8.count >= 16, secret.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw APIKeysError("The secret of API key \"\(name)\" must be at least 16 printable characters without spaces.")
            }
            guard !owners.contains(where: { $0.name == name }) else { throw APIKeysError("API key name \"\(name)\" appears twice.") }
            guard !owners.contains(where: { $0.secret == Array(secret.utf8) }) else {
                throw APIKeysError("Two API keys share a secret; give each its own.")
            }
            owners.append((Array(secret.utf8), name))
        }
        guard !owners.isEmpty else { throw APIKeysError("QTQ_API_KEYS is set but names no key.") }
    }

    /// The name of the key with this secret. Every key is compared in full, in time independent of where the
    /// bytes differ, so response times do not leak how much of a guess was right.
    func owner(ofSecret secret: Substring) -> String? {
        let candidate = Array(secret.utf8)
        var found: String?
        for (key, name) in owners where Self.constantTimeEquals(key, candidate) {
            found = name
        }
        return found
    }

    private static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}

public struct APIKeysError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
