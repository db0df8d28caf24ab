import Foundation

/// Every failure a user of Folio can meet, each with one line saying what
/// happened and what to do about it. Screens show `message`; the CLI prints it
/// to stderr and exits with `exitCode`. No case ever carries a token.
public enum FolioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401 with a token Folio cannot renew (or renewal failed too); `tokenFrom`
    /// names the environment variable the token came from, nil for the config file.
    case unauthorized(profile: String, tokenFrom: String? = nil)
    /// 403: the token lacks a permission.
    case forbidden(what: String)
    /// 404: the invoice or order, named.
    case notFound(what: String)
    /// 400 from the server: its error text and detail.
    case refused(message: String, detail: String?)
    /// 409: someone else changed this first.
    case conflict(message: String)
    /// 500 `Payment gateway error`: online capture refused.
    case gateway(message: String)
    /// Any other 5xx, with the server's text.
    case server(status: Int, message: String)
    /// 503 after retries.
    case unavailable
    /// No connection, reset, DNS, refused: the network, with what was tried.
    case network(host: String, reason: String)
    /// The server did not answer in time.
    case timeout(host: String)
    /// A 3xx: Folio never follows redirects, so the request was not taken there.
    case redirected(status: Int, location: String)
    /// A write went out and Folio cannot prove what became of it: it may
    /// have been done. Stays so until its reference is found or a clerk settles it.
    case outcomeUnknown(what: String, reference: String, reason: String)
    /// A write on the same order or invoice is still of unknown outcome.
    case pendingWrite(what: String, reference: String)
    /// An earlier write of unknown outcome on the same order or invoice was
    /// just found done: the new one was not sent, so that a retry of the
    /// first cannot make a second.
    case earlierWriteDone(what: String, outcome: String, reference: String)
    /// The answer is not what the API promises; names the field.
    case malformedResponse(field: String, reason: String)
    /// Input Folio refused before sending anything.
    case invalidInput(String)
    /// Configuration that cannot be used, with why.
    case configuration(String)
    /// Invoices were asked for by customer and the store answered invoices
    /// of others: it does not support the search (it ignored the filter).
    case cannotSearchByCustomer(asked: String)
    /// A listing by invoice or order number answered rows of other numbers:
    /// the store ignored the filter.
    case storeIgnoredFilter(String)

    public var description: String { message }

    /// Refused by Folio because of an earlier write on the same thing (pending, or found done).
    public var isEarlierWrite: Bool {
        switch self {
        case .pendingWrite, .earlierWriteDone: return true
        default: return false
        }
    }

    /// What happened and what to do, in one line.
    public var message: String {
        switch self {
        case .unauthorized(_, let tokenFrom?):
            return "token invalid or expired — the token came from \(tokenFrom): check it, or get a new one"
        case .unauthorized(let profile, nil):
            return "token invalid or expired — check the token of profile \(profile), or get a new one"
        case .forbidden(let what):
            return "not allowed: \(what) — the token lacks the permission; ask an admin to grant it"
        case .notFound(let what):
            return "\(what) not found — check the number"
        case .refused(let message, let detail):
            return "refused by the store: \(message)" + (detail.map { " (\($0))" } ?? "") + " — fix the request and retry"
        case .conflict(let message):
            return "\(message): someone else changed this order — reload and retry"
        case .gateway(let message):
            return "\(message): the payment method refused online capture; nothing was saved — capture offline or check the payment"
        case .server(let status, let message):
            return "the store failed (\(status) \(message)) — retry later; if it persists, tell the store's admin"
        case .unavailable:
            return "the store is busy (503) — retry in a moment"
        case .network(let host, let reason):
            return "cannot reach \(host): \(reason) — check the network or the profile's base URL"
        case .timeout(let host):
            return "\(host) did not answer in time — retry, or check the network"
        case .redirected(let status, let location):
            return
                "the store answered \(status), pointing to \(location); Folio does not follow redirects, so nothing was done there — fix the profile's base_url"
        case .outcomeUnknown(let what, let reference, let reason):
            return
                "outcome unknown: \(what) may have been done (\(reason); ref \(reference)) — do not repeat it; run `folio journal resolve`, or check the store and `folio journal settle \(reference)`"
        case .earlierWriteDone(let what, let outcome, let reference):
            return
                "the earlier write on \(what) of unknown outcome was done after all: \(outcome) (ref \(reference)); nothing was sent now — check before doing it again (--even-if-pending to do so)"
        case .pendingWrite(let what, let reference):
            return
                "\(what) has a write of unknown outcome (ref \(reference)) — resolve it first (`folio journal resolve`), or check the store and repeat with --even-if-pending"
        case .malformedResponse(let field, let reason):
            return "the store sent an answer Folio cannot read (\(field): \(reason)) — report this with the invoice number"
        case .invalidInput(let text):
            return text
        case .configuration(let text):
            return text
        case .storeIgnoredFilter(let filter):
            return
                "the store answered invoices that are not \(filter): it ignores that filter, so nothing is shown — open the invoice from its number instead"
        case .cannotSearchByCustomer(let asked):
            return
                "this store cannot search invoices by customer (asked for \(asked), it answered other customers' invoices) — ask the caller for the invoice or order number and search that"
        }
    }

    /// The CLI's exit codes: 0 ok, 2 usage, 3 not found, 4 authentication,
    /// 5 refused or conflict, 6 server or network (a read, or a write that
    /// certainly did not happen), 7 outcome unknown — the write may exist.
    public var exitCode: Int32 {
        switch self {
        case .invalidInput, .configuration: return 2
        case .notFound: return 3
        case .unauthorized, .forbidden: return 4
        case .refused, .conflict, .gateway, .redirected, .earlierWriteDone, .cannotSearchByCustomer, .storeIgnoredFilter: return 5
        case .server, .unavailable, .network, .timeout, .malformedResponse: return 6
        case .outcomeUnknown, .pendingWrite: return 7
        }
    }
}

/// The text of an error answer, whichever convention the server follows:
/// the family's `{"error", "detail"}`, Laravel's `{"message"}`, or RFC 9457
/// problem JSON `{"title", "status", "detail"}`. The most specific text wins.
struct ErrorBody: Sendable, Equatable {
    let message: String
    let detail: String?

    init(_ data: Data, status: Int) {
        var message: String?
        var detail: String?
        if let json = try? JSONDecoder().decode(JSONValue.self, from: data) {
            func string(_ key: String) -> String? {
                if case .string(let s)? = json[key], !s.isEmpty { return s }
                return nil
            }
            message = string("error") ?? string("message") ?? string("title")
            detail = string("detail")
            if message == nil, let d = detail {
                message = d
                detail = nil
            }
            if case .object(let errors)? = json["errors"], detail == nil {
                detail = errors.keys.sorted().map { "\($0): \(errors[$0]!.description)" }.joined(separator: "; ")
            }
        } else if case let text = String(decoding: data, as: UTF8.self), !text.isEmpty, !text.contains("<") {
            // Whole, not cut: a secret echoed across a cut would escape the cleaning
            // that comes next (Secrets.redact cuts to a line afterwards), and a cut
            // inside a character lost the message.
            message = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        self.message = message ?? HTTPStatusText.phrase(status)
        self.detail = detail == self.message ? nil : detail
    }
}

extension ErrorBody {
    /// A JSON object with an `error`, `message`, `title` or `detail` text: an API's own error.
    static func isStructured(_ data: Data) -> Bool {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: data) else { return false }
        return ["error", "message", "title", "detail"].contains { key in
            if case .string(let s)? = json[key] { return !s.isEmpty }
            return false
        }
    }
}

enum HTTPStatusText {
    static func phrase(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 409: return "Conflict"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "HTTP \(status)"
        }
    }
}
