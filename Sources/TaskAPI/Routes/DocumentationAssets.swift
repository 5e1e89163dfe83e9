import Foundation

/// The Swagger UI and ReDoc bundles `GET /docs` and `GET /redoc` load, read once at start-up from the folder
/// `scripts/fetch-docs-assets` fills (`APIConfiguration.docsAssetsDirectory`). Served by the API itself, so the
/// pages work offline. Only the files named here are served: no path from a request ever reaches the disk.
struct DocumentationAssets: Sendable {
    struct Asset: Sendable {
        var contentType: String
        var bytes: [UInt8]
    }

    static let files: [String: String] = [
        "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
        "swagger-ui.css": "text/css; charset=utf-8",
        "redoc.standalone.js": "text/javascript; charset=utf-8",
        // The licences travel with the bundles.
        "swagger-ui.LICENSE": "text/plain; charset=utf-8",
        "swagger-ui-bundle.js.LICENSE.txt": "text/plain; charset=utf-8",
        "redoc.LICENSE": "text/plain; charset=utf-8",
        "redoc.standalone.js.LICENSE.txt": "text/plain; charset=utf-8",
        "drf-spectacular-sidecar.LICENSE": "text/plain; charset=utf-8",
    ]

    /// Where they were looked for, for the 503's message.
    let directory: String?
    private let assets: [String: Asset]

    /// Reads every file it finds; a missing folder or file is not an error here: its page answers 503.
    init(directory: String?) {
        self.directory = directory
        var assets: [String: Asset] = [:]
        if let directory {
            for (name, contentType) in Self.files {
                let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
                if let data = FileManager.default.contents(atPath: url.path) {
                    assets[name] = Asset(contentType: contentType, bytes: Array(data))
                }
            }
        }
        self.assets = assets
    }

    subscript(name: String) -> Asset? { assets[name] }

    /// The error a page or asset answers while its bundle is missing.
    func missing(_ name: String) -> APIError {
        APIError(
            status: .serviceUnavailable, code: "docs_assets_missing",
            message: "The documentation bundle \(name) is not installed\(directory.map { " in \($0)" } ?? ""); run scripts/fetch-docs-assets "
                + "and set QTQ_DOCS_ASSETS_DIR to its folder. The contract itself is at /openapi.json and /openapi.yaml.",
            details: ["file": .string(name)]
        )
    }
}
