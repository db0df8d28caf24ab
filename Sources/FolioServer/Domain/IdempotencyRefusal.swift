/// Why a request with an `Idempotency-Key` does not run (again).
enum IdempotencyRefusal: Error, Sendable, Equatable {
    /// The key's first request has finished: replay its answer.
    case replay(RecordedAnswer)
    /// The key's first request has not finished: answer 409, write nothing.
    case inProgress
    /// The key's first request was cut off by a stop of the server before it
    /// answered (its write may have been made): 409 saying so, write nothing.
    case interrupted
    /// The key was first used for another request: answer 422.
    case reused
}
