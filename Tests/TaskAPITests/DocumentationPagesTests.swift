import Foundation
import HTTPTypes
@testable import TaskAPI
import Testing
import TestSupport

/// `/openapi.json`, `/docs`, `/redoc` and their bundles, served by the API from the folder
/// scripts/fetch-docs-assets fills (no database needed). The headless-browser check is scripts/check-docs.
@Suite struct DocumentationPagesTests {
    /// scripts/test exports QTQ_DOCS_ASSETS_DIR; from a checkout, the folder the script fills.
    static var assetsDirectory: String {
        get throws {
            let directory = ProcessInfo.processInfo.environment["QTQ_DOCS_ASSETS_DIR"]
                ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".docs-assets").path
            guard FileManager.default.fileExists(atPath: directory + "/swagger-ui-bundle.js") else {
                throw TestSetupError("No docs assets in \(directory): run scripts/fetch-docs-assets (scripts/test does).")
            }
            return directory
        }
    }

    static func configuration(assets: String?) -> APIConfiguration {
        var configuration = APIConfiguration()
        configuration.docsAssetsDirectory = assets
        return configuration
    }

    @Test func openAPIJSONIsTheYAMLDocumentConverted() async throws {
        try await APITestServer.run(database: try APITestServer.refusingDatabase) { client in
            let response = try await client.send(.get, "/openapi.json")
            #expect(response.status == .ok)
            #expect(response.contentType == "application/json; charset=utf-8")
            #expect(response.json == OpenAPIDocument.json)
            #expect(response["paths"]?["/tasks/{id}/cancel"]?["post"] != nil)
            let yaml = try await client.send(.get, "/openapi.yaml")
            #expect(yaml.text == OpenAPIDocument.yaml)
        }
    }

    @Test func swaggerUIAndReDocPagesLoadTheirBundlesFromThisServer() async throws {
        let assets = try Self.assetsDirectory
        try await APITestServer.run(database: try APITestServer.refusingDatabase, configuration: Self.configuration(assets: assets)) { client in
            let docs = try await client.send(.get, "/docs")
            #expect(docs.status == .ok)
            #expect(docs.contentType == "text/html; charset=utf-8")
            #expect(docs.text.contains(#"src="/docs/assets/swagger-ui-bundle.js""#))
            #expect(docs.text.contains(#"href="/docs/assets/swagger-ui.css""#))
            #expect(docs.text.contains(#"url: "/openapi.json""#))
            let redoc = try await client.send(.get, "/redoc")
            #expect(redoc.status == .ok)
            #expect(redoc.text.contains(#"<redoc spec-url="/openapi.json">"#))
            #expect(redoc.text.contains(#"src="/docs/assets/redoc.standalone.js""#))
            // Offline: nothing is loaded from another host.
            for page in [docs.text, redoc.text] {
                #expect(!page.contains("http://") && !page.contains("https://"), "\(page)")
            }

            for (name, type) in [
                ("swagger-ui-bundle.js", "text/javascript"), ("swagger-ui.css", "text/css"),
                ("redoc.standalone.js", "text/javascript"), ("swagger-ui.LICENSE", "text/plain"), ("redoc.LICENSE", "text/plain"),
            ] {
                let asset = try await client.send(.get, "/docs/assets/\(name)")
                #expect(asset.status == .ok, "\(name)")
                #expect(asset.contentType?.hasPrefix(type) == true, "\(name)")
                let onDisk = try String(contentsOfFile: assets + "/" + name, encoding: .utf8)
                #expect(asset.text == onDisk, "\(name) differs from the file")
            }
            #expect(try await client.send(.get, "/docs/assets/swagger-ui.LICENSE").text.contains("Apache License"))
            #expect(try await client.send(.get, "/docs/assets/redoc.LICENSE").text.contains("MIT"))
            // Only the listed files: nothing else under the folder, no way out of it.
            let other = try await client.send(.get, "/docs/assets/VERSION")
            #expect(other.status == .notFound && other["error"] == "not_found")
            let escape = try await client.send(.get, "/docs/assets/..%2F..%2FPackage.swift")
            #expect(escape.status == .notFound)
        }
    }

    @Test func withoutTheBundlesThePagesSayHowToFetchThem() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("qtq-no-assets-\(UUID().uuidString)").path
        try await APITestServer.run(database: try APITestServer.refusingDatabase, configuration: Self.configuration(assets: empty)) { client in
            for path in ["/docs", "/redoc", "/docs/assets/swagger-ui.css"] {
                let response = try await client.send(.get, path)
                #expect(response.status == .serviceUnavailable, "\(path)")
                #expect(response["error"] == "docs_assets_missing")
                #expect(response["message"]?.stringValue?.contains("scripts/fetch-docs-assets") == true)
            }
            // The contract itself needs no bundle.
            #expect(try await client.send(.get, "/openapi.json").status == .ok)
        }
    }
}
