import Hummingbird

extension Response {
    static let jsonContentType = "application/json; charset=utf-8"

    /// A JSON answer (`JSONCoding.encoder`) with the content type every JSON response carries.
    static func json(_ status: HTTPResponse.Status, _ body: some Encodable, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = jsonContentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: JSONCoding.encode(body)))
    }

    static func text(_ status: HTTPResponse.Status, _ body: String, contentType: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
