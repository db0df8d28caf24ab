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

    public init(
        smtpFailing: Bool = false, latencyMilliseconds: Int = 0, dropAfterCreate: Bool = false,
        dropBeforeCreate: Bool = false, lockContention: Bool = false
    ) {
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
