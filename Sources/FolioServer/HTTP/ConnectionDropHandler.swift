import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Closes the connection instead of sending a response that carries the
/// internal marker header: "the server saved it, then the network failed".
final class ConnectionDropHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart
    static let marker = HTTPField.Name("X-Folio-Drop-Connection")!
    private var dropping = false

    /// `response` marked so that it is never sent: the connection closes instead.
    static func drop(_ response: Response) -> Response {
        var response = response
        response.headers[marker] = "1"
        return response
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        if case .head(let head) = part, head.headerFields[Self.marker] != nil {
            dropping = true
            context.close(mode: .all, promise: nil)
        }
        if dropping {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(data, promise: promise)
    }
}
