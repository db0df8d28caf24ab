import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// `true` on an answer that is a replay of a key's first answer.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}

/// `Idempotency-Key` on the server's writes (folio ext.): the same caller
/// sending the same key with the same request within 24 h gets the first
/// answer again, byte for byte, and nothing is written twice.
///
/// A write route adopts it in two lines: it wraps its handler in `answer`, and
/// passes the claim it is given to the write transaction that does the work
/// (see `IdempotencyClaim.claim`). Without the header the handler runs as if
/// this did not exist. What is recorded, and what a concurrent request with the
/// same key gets, is said in `IdempotencyStore`.
struct Idempotency: Sendable {
    let store: IdempotencyStore
    let logger: Logger

    /// Answers `request` through `handler`, or with the key's recorded answer.
    /// `route` names the operation, the same for a path and its alias.
    func answer(
        _ request: Request, principal: Principal, route: String,
        _ handler: (Request, IdempotencyClaim?) async throws -> Response
    ) async throws -> Response {
        guard let key = try Self.key(of: request) else { return try await handler(request, nil) }
        var request = request
        let body = try await request.collectBody(upTo: RequestInput.maxBody)
        // Decoded as the handler reads it (`+` is a space): one request, one fingerprint.
        let query = RequestInput.formPairs(request.uri.query ?? "")
        let claim = store.claim(
            principal: principal.id, key: key,
            fingerprint: RequestFingerprint.of(
                method: request.method, route: route, query: query, body: body))
        do {
            try await store.check(claim)
            var response: Response
            do {
                response = try await handler(request, claim)
            } catch let error as APIError where Self.isDefinite(error.status) {
                response = error.response
            }
            guard Self.isDefinite(response.status) else { return response }
            let bytes = try await Self.collect(response.body)
            response.body = ResponseBody(byteBuffer: bytes)
            do {
                try await store.record(
                    RecordedAnswer(status: response.status.code, body: Data(bytes.readableBytesView)),
                    for: claim)
            } catch let error as DatabaseError {
                // The work is done and this is its answer: give it. The key stays
                // in flight (409) if the work committed, or unrecorded if not.
                logger.error("could not record the answer to an Idempotency-Key: \(error)")
            }
            return response
        } catch let refusal as IdempotencyRefusal {
            switch refusal {
            case .replay(let answer): return Self.replay(answer)
            case .inProgress: throw APIError(.conflict, "A request with this Idempotency-Key is in progress")
            case .interrupted:
                throw APIError(
                    .conflict, "The request with this Idempotency-Key was interrupted before it answered",
                    detail: "the server stopped while it ran; its write may have been made and is never repeated for this key — look it up")
            case .reused: throw APIError(.unprocessableContent, "Idempotency key reused with a different request")
            }
        }
    }

    /// The key, if the request has one: 1–255 printable ASCII characters, sent once.
    static func key(of request: Request) throws -> String? {
        let values = request.headers[values: .idempotencyKey]
        guard let key = values.first else { return nil }
        guard values.count == 1, (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x20...0x7E).contains($0) })
        else { throw APIError.invalidParameter("Idempotency-Key", "expected one value of 1 to 255 printable ASCII characters") }
        return key
    }

    /// A definite outcome, worth replaying: 2xx, and 4xx but those that mean "try again".
    static func isDefinite(_ status: HTTPResponse.Status) -> Bool {
        switch status.code {
        case 200..<300: true
        case 408, 409, 425, 429: false
        case 400..<500: true
        default: false
        }
    }

    static func replay(_ answer: RecordedAnswer) -> Response {
        Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: [.contentType: "application/json; charset=utf-8", .idempotentReplayed: "true"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// The bytes of a response body, which the routes build in memory anyway.
    private static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = Collector()
        try await body.write(collector)
        return collector.buffer
    }

    private final class Collector: ResponseBodyWriter {
        var buffer = ByteBuffer()
        func write(_ part: ByteBuffer) async throws { buffer.writeImmutableBuffer(part) }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
