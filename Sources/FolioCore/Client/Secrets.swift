import Foundation
import Synchronization

/// Every secret this client has held (tokens, refresh tokens, client
/// secrets), so that text a store sends back — an error that echoes the
/// request's headers, say — is cleaned of them before anyone prints or
/// journals it.
final class Secrets: Sendable {
    private let known = Mutex<Set<String>>([])

    /// Keeps `secret` and the forms it travels in (form- or URL-encoded,
    /// JSON-escaped), so an echo of any of them is caught.
    func add(_ secret: String?) {
        guard let secret, secret.count >= 4 else { return }
        var forms: Set<String> = [secret, TokenProvider.form(secret)]
        if let json = try? JSONEncoder().encode(secret), let text = String(data: json, encoding: .utf8) {
            forms.insert(String(text.dropFirst().dropLast()))
        }
        known.withLock { $0.formUnion(forms) }
    }

    /// `text` with every known secret replaced by `[secret]` (longest first,
    /// so that a form containing another is caught whole), then cut to a line.
    func redact(_ text: String) -> String {
        // Copied out, so that a long answer is not cleaned while holding the lock a renewal waits for.
        let secrets = known.withLock { $0.sorted { $0.utf8.count > $1.utf8.count } }
        let clean = secrets.reduce(text) { Self.replacing($1, in: $0) }
        return clean.count > 300 ? String(clean.prefix(300)) + "…" : clean
    }

    /// `text` with each run of `secret`'s bytes replaced. Bytes, not
    /// characters: a store that echoes a token with a combining mark after it
    /// (`…a1` + U+0301) makes its last letter part of another character,
    /// which a search by characters does not match, and the token's bytes
    /// would be printed whole. (UTF-8 lets a match start only on a character's first byte.)
    static func replacing(_ secret: String, in text: String) -> String {
        let needle = Array(secret.utf8)
        let bytes = Array(text.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return text }
        var out: [UInt8] = []
        var i = 0
        out.reserveCapacity(bytes.count)
        while i < bytes.count {
            if bytes[i] == needle[0], i + needle.count <= bytes.count, bytes[i..<(i + needle.count)].elementsEqual(needle) {
                out += Array("[secret]".utf8)
                i += needle.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension FolioError {
    /// The same error with every text from outside passed through `clean`.
    func mapText(_ clean: (String) -> String) -> FolioError {
        switch self {
        case .unauthorized(let profile, let tokenFrom): return .unauthorized(profile: profile, tokenFrom: tokenFrom)
        case .forbidden(let what): return .forbidden(what: clean(what))
        case .notFound(let what): return .notFound(what: clean(what))
        case .refused(let message, let detail): return .refused(message: clean(message), detail: detail.map(clean))
        case .conflict(let message): return .conflict(message: clean(message))
        case .gateway(let message): return .gateway(message: clean(message))
        case .server(let status, let message): return .server(status: status, message: clean(message))
        case .unavailable: return .unavailable
        case .network(let host, let reason): return .network(host: host, reason: clean(reason))
        case .timeout(let host): return .timeout(host: host)
        case .redirected(let status, let location): return .redirected(status: status, location: clean(location))
        case .outcomeUnknown(let what, let reference, let reason):
            return .outcomeUnknown(what: what, reference: reference, reason: clean(reason))
        case .pendingWrite(let what, let reference): return .pendingWrite(what: what, reference: reference)
        case .earlierWriteDone(let what, let outcome, let reference):
            return .earlierWriteDone(what: what, outcome: clean(outcome), reference: reference)
        case .malformedResponse(let field, let reason): return .malformedResponse(field: clean(field), reason: clean(reason))
        case .invalidInput(let text): return .invalidInput(clean(text))
        case .configuration(let text): return .configuration(clean(text))
        case .cannotSearchByCustomer(let asked): return .cannotSearchByCustomer(asked: clean(asked))
        case .storeIgnoredFilter(let filter): return .storeIgnoredFilter(clean(filter))
        }
    }
}
