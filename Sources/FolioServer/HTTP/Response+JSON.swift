import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// `value` as the answer's body, `application/json; charset=utf-8`.
    static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(value.serialized())
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: buffer))
    }
}
