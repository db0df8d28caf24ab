import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// What became of one write request on the wire, before anyone reads its body.
enum WireResult: Sendable {
    /// The store answered (any status).
    case answered(APIClient.Reply)
    /// The request never left this machine (no connection, no token, a bad
    /// URL): the store cannot have taken it.
    case notSent(FolioError)
    /// The request went out and no whole answer came back: the store may
    /// have taken it.
    case lost(reason: String)
}

/// How one answer to a write is judged: only what the store said for certain
/// is a refusal; everything it did not say is unknown.
enum WriteJudgement: Sendable, Equatable {
    case accepted(Data)
    case refused(FolioError)
    case unknown(reason: String)

    /// `documentedRefusals`: the exact `500` texts the API documents as
    /// "nothing was saved" for this route (the gateway refusal of a create).
    /// `failure`: the error a refusal's status and text make (the client's
    /// own, which also cleans secrets out of the store's words).
    static func of(
        _ reply: APIClient.Reply, documentedRefusals: Set<String> = [],
        failure: (APIClient.Reply) -> FolioError
    ) -> WriteJudgement {
        switch reply.status {
        case 200..<300:
            return .accepted(reply.body)
        case 300..<400:
            return .refused(.redirected(status: reply.status, location: reply.location ?? "(no Location)"))
        case 400..<500:
            return .refused(failure(reply))
        case 503:
            return .refused(.unavailable)
        case 500 where documentedRefusals.contains(ErrorBody(reply.body, status: 500).message):
            return .refused(failure(reply))
        default:
            return .unknown(reason: "the store answered \(reply.status) \(ErrorBody(reply.body, status: reply.status).message)")
        }
    }
}

extension WriteJudgement {
    /// Whether a refusal certainly comes from the store itself: one of the
    /// API's refusal statuses (400, 401, 403, 404, 409, 422, 503, or a 500 with
    /// a documented text) with the API's JSON error body. A bare page, a 429,
    /// a 3xx might come from something in between that had already passed the
    /// request on.
    static func isTheStoresOwn(_ reply: APIClient.Reply) -> Bool {
        [400, 401, 403, 404, 409, 422, 500, 503].contains(reply.status) && ErrorBody.isStructured(reply.body)
    }

    /// A 307 or 308 says "send it there instead": this address did not take it.
    /// Other redirects after a POST (303 "see other" above all) may follow a
    /// request that was done.
    static func isResendElsewhere(_ reply: APIClient.Reply) -> Bool { [307, 308].contains(reply.status) }
}

extension APIClient {
    /// Sends one write: the reference as `Idempotency-Key`, never retried
    /// except after a `401` (the store refused it, so sending again with a new
    /// token cannot make a second write), never redirected. Knows whether the
    /// request left the machine, which decides "refused" from "unknown" when
    /// no answer comes.
    func sendWrite(_ path: String, json: Data, reference: OperationReference) async -> WireResult {
        let url = baseURL + path
        var token: String
        do { token = try await tokens.token() } catch { return .notSent(error) }
        var renewed = false
        while true {
            let result = await writeOnce(url, json: json, reference: reference, token: token)
            if case .answered(let reply) = result, reply.status == 401, !renewed {
                do {
                    guard let fresh = try await tokens.renew(after: token) else { return result }
                    token = fresh
                    renewed = true
                    continue
                } catch {
                    return .notSent(error)
                }
            }
            return result
        }
    }

    private func writeOnce(_ url: String, json: Data, reference: OperationReference, token: String) async -> WireResult {
        let request: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            headers.add(name: "Authorization", value: "Bearer \(token)")
            headers.add(name: "Accept", value: "application/json")
            headers.add(name: "User-Agent", value: "folio/1")
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Idempotency-Key", value: reference.value)
            request = try HTTPClient.Request(url: url, method: .POST, headers: headers, body: .bytes(json))
        } catch {
            return .notSent(.configuration("cannot make a request to \(url) — fix the profile's base_url"))
        }
        let delegate = WriteDelegate(limit: 64 << 20)
        let task = http.execute(
            request: request, delegate: delegate,
            deadline: .now() + .nanoseconds(settings.requestTimeout.nanoseconds))
        do {
            let reply = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            return .answered(reply)
        } catch {
            let failure = Self.transportError(error, url: url)
            guard delegate.requestLeft else { return .notSent(failure) }
            if Task.isCancelled { return .lost(reason: "Folio stopped waiting (cancelled)") }
            return .lost(reason: failure.message.components(separatedBy: " — ").first ?? failure.message)
        }
    }
}

/// A write's answer past the size limit (no store of this API sends one).
struct AnswerTooLarge: Error, CustomStringConvertible {
    var description: String { "the answer was larger than 64 MiB" }
}

/// Collects a write's answer and remembers whether the request head went out.
final class WriteDelegate: HTTPClientResponseDelegate {
    typealias Response = APIClient.Reply

    private struct State {
        var headSent = false
        var status = 0
        var location: String?
        var body = ByteBuffer()
    }
    private let state = Mutex(State())
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// True once the request head was handed to the connection: from then on
    /// the store may have the request, whatever happens next.
    var requestLeft: Bool { state.withLock { $0.headSent } }

    func didSendRequestHead(task: HTTPClient.Task<Response>, _ head: HTTPRequestHead) {
        state.withLock { $0.headSent = true }
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLock {
            $0.headSent = true
            $0.status = Int(head.status.code)
            $0.location = head.headers.first(name: "Location")
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let tooLarge: Bool = state.withLock { state in
            var part = buffer
            state.body.writeBuffer(&part)
            return state.body.readableBytes > limit
        }
        if tooLarge { return task.eventLoop.makeFailedFuture(AnswerTooLarge()) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        state.withLock { APIClient.Reply(status: $0.status, body: Data($0.body.readableBytesView), location: $0.location) }
    }
}
