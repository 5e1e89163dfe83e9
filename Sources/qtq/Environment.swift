import ArgumentParser
import Foundation
import TaskQueue

/// Environment variables every command reads; the README's configuration table lists them.
enum Environment {
    static func string(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    static func int(_ name: String) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw ValidationError("\(name) must be a whole number, not \"\(text)\".") }
        return value
    }

    static func double(_ name: String) throws -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value >= 0 else { throw ValidationError("\(name) must be a non-negative number, not \"\(text)\".") }
        return value
    }

    static func databaseURL() throws -> DatabaseURL {
        do {
            // DATABASE_URL first; else libpq's PG* variables (a password with any character, no URL encoding).
            if let url = string("DATABASE_URL") { return try DatabaseURL(url) }
            if let fromParts = try DatabaseURL(libpqEnvironment: ProcessInfo.processInfo.environment) { return fromParts }
            return try DatabaseURL(DatabaseURL.defaultURL)
        } catch {
            throw ValidationError(error.message)
        }
    }
}
