import Hummingbird

extension Response {
    static let jsonContentType = "application/json; charset=utf-8"

    /// A JSON answer with the content type every JSON response carries.
    static func json(_ status: HTTPResponse.Status, _ body: JSONValue, headers: HTTPFields = [:]) -> Response {
        text(status, body.serialized, contentType: jsonContentType, headers: headers)
    }

    static func text(_ status: HTTPResponse.Status, _ body: String, contentType: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
