import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The one client of the store's API that every screen and command uses.
///
/// Bearer auth from a `TokenSource`; after a 401 an OAuth token is renewed and
/// the request tried once more. GETs retry on 503 and on a dropped connection
/// with capped exponential backoff and jitter (three tries at most); writes
/// never retry by themselves and go through `sendWrite`, which knows whether a
/// request left the machine. Redirects are never followed: an API client needs
/// none, and a write sent on to another address is not a write to this store.
public final class APIClient: Sendable {
    public struct Settings: Sendable {
        public var baseURL: String
        public var profile: String
        public var token: TokenSource
        public var connectTimeout: Duration = .seconds(5)
        /// How long one request may take from start to last byte.
        public var requestTimeout: Duration = .seconds(30)
        /// Plain http:// is refused except to loopback unless this is set.
        public var allowInsecureHTTP = false
        /// Backoff before retry n (1-based) is `min(cap, base × 2^(n-1))` × a jitter in 0.5…1.
        public var retryBase: Duration = .milliseconds(200)
        public var retryCap: Duration = .seconds(2)
        /// The environment variable the token came from (named by a 401), nil for the config file.
        public var tokenFrom: String?

        public init(baseURL: String, profile: String, token: TokenSource) {
            self.baseURL = baseURL
            self.profile = profile
            self.token = token
        }
    }

    public let settings: Settings
    let baseURL: String
    let host: String
    let http: HTTPClient
    let tokens: TokenProvider
    /// Secrets to clean out of anything a store sends back.
    let secrets = Secrets()
    /// Whether the admin detail endpoint answered, once asked (nil: not yet known).
    let adminDetail = AdminAvailability()

    public init(_ settings: Settings) throws(FolioError) {
        let trimmed = settings.baseURL.hasSuffix("/") ? String(settings.baseURL.dropLast()) : settings.baseURL
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
            scheme == "http" || scheme == "https"
        else {
            throw .configuration("the base URL \(settings.baseURL) is not an http(s) URL — fix the profile's base_url")
        }
        if scheme == "http" && !settings.allowInsecureHTTP && !Self.isLoopback(host) {
            throw .configuration(
                "refusing plain http:// to \(host): the token would travel unencrypted — use https://, or --allow-insecure-http if you must"
            )
        }
        self.settings = settings
        baseURL = trimmed
        self.host = host
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(
            connect: .nanoseconds(settings.connectTimeout.nanoseconds),
            read: .nanoseconds(settings.requestTimeout.nanoseconds))
        configuration.decompression = .enabled(limit: .ratio(50))
        configuration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        tokens = TokenProvider(
            source: settings.token, baseURL: trimmed, http: http, profile: settings.profile,
            tokenFrom: settings.tokenFrom, secrets: secrets)
    }

    /// Gets what the token needs from the person at the terminal — a token
    /// command's passphrase prompt — before a full-screen interface takes the terminal.
    public func prepareToken() async throws(FolioError) {
        try await tokens.prepare()
    }

    /// Closes the connection pool. Call once when done with the client.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Whether plain http:// stays on this machine: `localhost`, `::1`, or an
    /// IPv4 address in 127.0.0.0/8. The host is parsed as an address, never
    /// matched as text, so `127.0.0.1.example.com` is a name like any other.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" { return true }
        let bare = h.hasPrefix("[") && h.hasSuffix("]") ? String(h.dropFirst().dropLast()) : h
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
        }
        return false
    }

    // MARK: Requests

    struct Reply: Sendable {
        let status: Int
        let body: Data
        /// Where a 3xx pointed (never followed).
        var location: String? = nil
    }

    /// Sends a read with auth; renews an OAuth token once after a 401;
    /// retries on 503 and dropped connections. Returns any status; the caller
    /// decides what it means.
    func get(_ path: String, query: [(String, String)] = []) async throws(FolioError) -> Reply {
        let url = baseURL + path + Self.queryString(query)
        var token = try await tokens.token()
        var renewed = false
        var attempt = 1
        while true {
            let reply: Reply
            do {
                reply = try await once(url, token: token)
            } catch {
                if attempt < 3, Self.isRetriable(error) {
                    try await backoff(attempt)
                    attempt += 1
                    continue
                }
                throw error
            }
            if reply.status == 401, !renewed, let fresh = try await tokens.renew(after: token) {
                token = fresh
                renewed = true
                continue
            }
            if reply.status == 503, attempt < 3 {
                try await backoff(attempt)
                attempt += 1
                continue
            }
            return reply
        }
    }

    private func once(_ url: String, token: String) async throws(FolioError) -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "folio/1")
        let http = self.http
        let timeout = settings.requestTimeout
        do {
            // The deadline covers the whole answer: a store that drips its body
            // byte by byte cannot hold a read (or the look-up after a lost write) forever.
            return try await Self.within(timeout) { [request] in
                let response = try await http.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
                let body = try await response.body.collect(upTo: 64 << 20)
                return Reply(
                    status: Int(response.status.code), body: Data(body.readableBytesView),
                    location: response.headers.first(name: "Location"))
            }
        } catch {
            throw Self.transportError(error, url: url)
        }
    }

    /// Runs `work` and gives up (HTTPClientError.deadlineExceeded) once `limit` has passed.
    static func within<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw HTTPClientError.deadlineExceeded }
            return value
        }
    }

    private func backoff(_ attempt: Int) async throws(FolioError) {
        let exponential = settings.retryBase * (1 << (attempt - 1))
        let capped = min(exponential, settings.retryCap)
        let jittered = capped * Double.random(in: 0.5...1)
        do { try await Task.sleep(for: jittered) } catch { throw .network(host: host, reason: "cancelled") }
    }

    static func isRetriable(_ error: FolioError) -> Bool {
        if case .network = error { return true }
        return false
    }

    static func queryString(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "?"
            + items.map { name, value in
                let n = name.addingPercentEncoding(withAllowedCharacters: allowed.union(CharacterSet(charactersIn: "[]"))) ?? name
                return n + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
            }.joined(separator: "&")
    }

    /// A transport failure as the user should read it; never includes the request's headers.
    static func transportError(_ error: any Error, url: String) -> FolioError {
        if let folio = error as? FolioError { return folio }
        let host = URL(string: url)?.host ?? url
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout, .readTimeout, .deadlineExceeded, .writeTimeout: return .timeout(host: host)
            case .remoteConnectionClosed: return .network(host: host, reason: "the connection closed before an answer")
            case .cancelled: return .network(host: host, reason: "cancelled")
            default: return .network(host: host, reason: String(describing: e))
            }
        }
        if error is CancellationError { return .network(host: host, reason: "cancelled") }
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return .network(host: host, reason: "connection refused") }
        if text.localizedCaseInsensitiveContains("reset") { return .network(host: host, reason: "connection reset") }
        return .network(host: host, reason: text.count > 120 ? String(text.prefix(120)) + "…" : text)
    }

    /// A non-success status as a typed error.
    static func statusError(
        _ status: Int, _ body: Data, what: String, profile: String = "",
        tokenFrom: String? = nil
    ) -> FolioError {
        let text = ErrorBody(body, status: status)
        switch status {
        case 400, 422: return .refused(message: text.message, detail: text.detail)
        case 401: return .unauthorized(profile: profile, tokenFrom: tokenFrom)
        case 403: return .forbidden(what: what)
        case 404: return .notFound(what: what)
        case 409: return .conflict(message: text.message)
        case 503: return .unavailable
        case 500 where text.message.localizedCaseInsensitiveContains("gateway"): return .gateway(message: text.message)
        default: return .server(status: status, message: text.message)
        }
    }

    /// Decodes a success answer, or names the field that broke it.
    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws(FolioError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            if error.fieldPath.isEmpty, case .dataCorrupted = error { throw .malformedResponse(field: "(answer)", reason: "not JSON") }
            throw .malformedResponse(field: error.fieldPath.isEmpty ? "(answer)" : error.fieldPath, reason: error.reason)
        } catch {
            throw .malformedResponse(field: "(answer)", reason: "not JSON")
        }
    }

    func check(_ reply: Reply, what: String) throws(FolioError) {
        if (300..<400).contains(reply.status) {
            throw .redirected(status: reply.status, location: reply.location ?? "(no Location)")
        }
        guard (200..<300).contains(reply.status) else { throw failure(reply, what: what) }
    }

    /// A non-success answer as this client reports it: typed by status, naming
    /// the profile and where its token came from, and cleaned of any secret
    /// the store echoed back. Every refusal a caller sees is made here.
    func failure(_ reply: Reply, what: String) -> FolioError {
        Self.failure(reply, what: what, profile: settings.profile, tokenFrom: settings.tokenFrom, secrets: secrets)
    }

    static func failure(_ reply: Reply, what: String, profile: String, tokenFrom: String?, secrets: Secrets) -> FolioError {
        statusError(reply.status, reply.body, what: what, profile: profile, tokenFrom: tokenFrom).mapText(secrets.redact)
    }
}

/// Remembers whether the server has the admin detail endpoint, so that a
/// server without it costs one refused call per session, not one per invoice.
final class AdminAvailability: Sendable {
    private let state = Mutex<Bool?>(nil)
    var known: Bool? { state.withLock { $0 } }
    func set(_ available: Bool) { state.withLock { $0 = available } }
}

extension Duration {
    var nanoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }
}
