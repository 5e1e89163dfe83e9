import Foundation
import HTTPTypes
@testable import TaskAPI

/// Checks a response the tests received over HTTP against the OpenAPI document the API serves: the status is
/// listed for the operation, required headers (X-Correlation-ID, Location, Allow, ...) are present and match
/// their schema, the content type is a documented one, and a JSON body matches its schema. A method a path
/// does not list must be the documented 405; a path the document does not list, the documented 404.
struct OpenAPIContract: Sendable {
    static let served = OpenAPIContract(document: OpenAPIDocument.json)

    let document: JSONValue

    struct Violation: Error, CustomStringConvertible {
        var request: String
        var problems: [String]
        var description: String {
            "The response to \(request) breaks the OpenAPI document:\n  " + problems.joined(separator: "\n  ")
        }
    }

    func check(method: HTTPRequest.Method, uri: String, status: Int, headers: HTTPFields, body: String) throws(Violation) {
        let problems = self.problems(method: method, uri: uri, status: status, headers: headers, body: body)
        guard problems.isEmpty else { throw Violation(request: "\(method.rawValue) \(uri) (\(status))", problems: problems) }
    }

    func problems(method: HTTPRequest.Method, uri: String, status: Int, headers: HTTPFields, body: String) -> [String] {
        // A CORS preflight is the browser's protocol, not an operation of the API: the CORS tests check it.
        if method == .options, status == 204, headers[.accessControlAllowOrigin] != nil { return [] }
        let validator = JSONSchemaValidator(document: document)
        let path = String(uri.prefix { $0 != "?" && $0 != "#" })
        guard let (template, item) = pathItem(matching: path) else {
            return status == 404
                ? check(response: validator.resolve("#/components/responses/NotFound"), validator, headers, body, isHead: method == .head)
                : ["\(path) is not in the document, so only its 404 not_found is, yet the API answered \(status)"]
        }
        // HEAD answers as GET does, without the body.
        let operationMethod = method == .head ? "get" : method.rawValue.lowercased()
        guard let operation = item[operationMethod] else {
            return status == 405
                ? check(response: validator.resolve("#/components/responses/MethodNotAllowed"), validator, headers, body, isHead: method == .head)
                : ["\(method.rawValue) \(template) is not in the document, so only its 405 is, yet the API answered \(status)"]
        }
        guard let response = operation["responses"]?["\(status)"] else {
            let listed = operation["responses"]?.keys.joined(separator: ", ") ?? "none"
            return ["status \(status) is not listed for \(method.rawValue) \(template) (listed: \(listed))"]
        }
        return check(response: response, validator, headers, body, isHead: method == .head)
    }

    /// A literal path wins over a template ("/tasks/batch" over "/tasks/{id}"), as in the router.
    func pathItem(matching path: String) -> (String, JSONValue)? {
        guard case .object(let paths)? = document["paths"] else { return nil }
        let segments = path.split(separator: "/")
        let matches = paths.filter { member in
            let template = member.key.split(separator: "/")
            return template.count == segments.count && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
        let best = matches.min { $0.key.filter { $0 == "{" }.count < $1.key.filter { $0 == "{" }.count }
        return best.map { ($0.key, $0.value) }
    }

    private func check(response: JSONValue?, _ validator: JSONSchemaValidator, _ headers: HTTPFields, _ body: String, isHead: Bool) -> [String] {
        guard var response else { return ["the document has no such response"] }
        if let reference = response["$ref"]?.stringValue {
            guard let resolved = validator.resolve(reference) else { return ["unresolvable \(reference)"] }
            response = resolved
        }
        var problems: [String] = []
        if case .object(let declared)? = response["headers"] {
            for member in declared {
                let header = member.value["$ref"]?.stringValue.flatMap(validator.resolve) ?? member.value
                guard let name = HTTPField.Name(member.key) else { problems.append("bad header name \(member.key)"); continue }
                if let value = headers[name] {
                    problems += validator.problems(.string(value), against: header["schema"] ?? [:], at: "header \(member.key)")
                } else if header["required"] == .bool(true) {
                    problems.append("required header \(member.key) is missing")
                }
            }
        }
        guard !isHead else { return problems }
        guard case .object(let media)? = response["content"] else {
            return body.isEmpty ? problems : problems + ["a body was sent where the document lists none"]
        }
        let contentType = headers[.contentType].map { String($0.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces) } ?? ""
        guard let entry = media.first(where: { $0.key == contentType }) else {
            return problems + ["content type \"\(contentType)\" is not listed (\(media.map(\.key).joined(separator: ", ")))"]
        }
        if contentType == "application/json" {
            guard let json = try? JSONParser.parse(Array(body.utf8)) else { return problems + ["the body is not JSON"] }
            problems += validator.problems(json, against: entry.value["schema"] ?? [:])
        }
        return problems
    }
}
