import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Failures the reference server can be told to simulate, so that clients can
/// be tested against them: set by `folio serve` flags or `POST /sandbox/faults`.
public struct Faults: Sendable, Equatable {
    /// Sending email fails: create still answers 201 with `email_sent` 0; resend answers 500.
    public var smtpFailing = false
    /// Added to every request before it is handled.
    public var latencyMilliseconds = 0
    /// Create commits the invoice, then closes the connection without answering.
    public var dropAfterCreate = false
    /// Writes answer 503 as if a lock could not be had in time.
    public var lockContention = false

    public init(smtpFailing: Bool = false, latencyMilliseconds: Int = 0,
                dropAfterCreate: Bool = false, lockContention: Bool = false) {
        self.smtpFailing = smtpFailing
        self.latencyMilliseconds = latencyMilliseconds
        self.dropAfterCreate = dropAfterCreate
        self.lockContention = lockContention
    }

    var json: JSON {
        .object([
            ("smtp_failing", .bool(smtpFailing)),
            ("latency_ms", .int(latencyMilliseconds)),
            ("drop_after_create", .bool(dropAfterCreate)),
            ("lock_contention", .bool(lockContention)),
        ])
    }
}

/// The live fault settings, shared by every request.
final class FaultSwitches: Sendable {
    private let state: Mutex<Faults>
    init(_ faults: Faults) { state = Mutex(faults) }
    var current: Faults { state.withLock { $0 } }
    func update(_ change: (inout Faults) -> Void) -> Faults {
        state.withLock { faults in
            change(&faults)
            return faults
        }
    }
}

/// Closes the connection instead of sending a response that carries the
/// internal marker header: "the server saved it, then the network failed".
final class ConnectionDropHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart
    static let marker = HTTPField.Name("X-Folio-Drop-Connection")!
    private var dropping = false

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
