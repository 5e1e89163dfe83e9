/// Why a client command (`submit`, `status`, `list`, `cancel`) failed: printed as one sentence on standard
/// error, with an exit status a script can tell apart.
enum ClientError: Error, CustomStringConvertible {
    /// The API answered with its error envelope (or another non-success status).
    case api(status: Int, code: String, message: String)
    /// Nothing answered at the URL (refused, unreachable, timed out while connecting).
    case unreachable(url: String, reason: String)
    /// A task ended without counts: failed or cancelled.
    case taskDidNotComplete(id: String, status: String, message: String)
    /// The answer was not what the contract says (a proxy's HTML page, a truncated body).
    case unexpectedResponse(String)
    /// --url or QTQ_URL is not an http(s) URL.
    case invalidURL(String)

    var description: String {
        switch self {
        case .api(_, _, let message): message
        case .unreachable(let url, let reason):
            "Could not reach the qtq API at \(url) (\(reason)): is `qtq serve` running there? Set --url or QTQ_URL."
        case .taskDidNotComplete(_, _, let message): message
        case .unexpectedResponse(let detail): "The server's answer is not a qtq API response: \(detail)."
        case .invalidURL(let text):
            "\"\(text)\" is not an http:// or https:// URL; pass the API's address, e.g. --url \(ClientOptions.defaultURL)."
        }
    }

    /// 1 for an answer the API gave (bad request, not found, task failed), 69 (EX_UNAVAILABLE) when nothing
    /// answered, 64 (EX_USAGE, as for qtq's other configuration mistakes) for a bad URL.
    var exitCode: Int32 {
        switch self {
        case .invalidURL: 64
        case .unreachable: 69
        case .api, .taskDidNotComplete, .unexpectedResponse: 1
        }
    }
}
