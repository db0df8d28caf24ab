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
    /// Create closes the connection without doing anything (the request was lost on the way).
    public var dropBeforeCreate = false
    /// Writes answer 503 as if a lock could not be had in time.
    public var lockContention = false
    /// The next N API requests (any method, not /sandbox) answer 503, then all is well again.
    public var failNext = 0

    public init(smtpFailing: Bool = false, latencyMilliseconds: Int = 0, dropAfterCreate: Bool = false,
                dropBeforeCreate: Bool = false, lockContention: Bool = false) {
        self.smtpFailing = smtpFailing
        self.latencyMilliseconds = latencyMilliseconds
        self.dropAfterCreate = dropAfterCreate
        self.dropBeforeCreate = dropBeforeCreate
        self.lockContention = lockContention
    }

    var json: JSON {
        .object([
            ("smtp_failing", .bool(smtpFailing)),
            ("latency_ms", .int(latencyMilliseconds)),
            ("drop_after_create", .bool(dropAfterCreate)),
            ("drop_before_create", .bool(dropBeforeCreate)),
            ("lock_contention", .bool(lockContention)),
            ("fail_next", .int(failNext)),
        ])
    }
}

/// The live fault settings, shared by every request.
final class FaultSwitches: Sendable {
    private let state: Mutex<Faults>
    init(_ faults: Faults) { state = Mutex(faults) }
    var current: Faults { state.withLock { $0 } }
    /// True (and one fewer left) when this request is one of the "next N" to fail.
    func takeFailure() -> Bool {
        state.withLock { faults in
            guard faults.failNext > 0 else { return false }
            faults.failNext -= 1
            return true
        }
    }

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
