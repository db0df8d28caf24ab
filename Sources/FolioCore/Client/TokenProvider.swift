import AsyncHTTPClient
import Foundation
import NIOCore

/// Where a profile's token comes from. The token itself is held only in
/// memory, never printed, logged or put in an error.
public enum TokenSource: Sendable, Equatable {
    /// A fixed token (from `FOLIO_TOKEN` or the config). Never renewed: a 401 is told to the user.
    case fixed(String)
    /// A command whose stdout is the token (a password manager). Run once, when first needed.
    case command(String)
    /// OAuth 2 client credentials; renewed with the refresh token, then the credentials.
    case oauthClient(id: String, secret: String)

    /// For messages: where the token comes from, never what it is.
    public var origin: String {
        switch self {
        case .fixed: return "a fixed token"
        case .command(let command): return "the output of `\(command.split(separator: " ").first ?? "")`"
        case .oauthClient(let id, _): return "OAuth client \(id)"
        }
    }
}

/// Hands out the current token and renews it once after a 401 when it can.
actor TokenProvider {
    let source: TokenSource
    let tokenURL: String
    let http: HTTPClient
    let profile: String
    /// The environment variable the credentials came from, for the message of a refusal.
    let tokenFrom: String?
    /// Every secret handed out or used, for cleaning text that comes back.
    let secrets: Secrets
    private var access: String? { didSet { secrets.add(access) } }
    private var refresh: String? { didSet { secrets.add(refresh) } }

    init(source: TokenSource, baseURL: String, http: HTTPClient, profile: String, tokenFrom: String? = nil, secrets: Secrets) {
        self.secrets = secrets
        switch source {
        case .fixed(let token): secrets.add(token)
        case .oauthClient(_, let secret): secrets.add(secret)
        case .command: break
        }
        self.source = source
        self.tokenURL = baseURL + "/api2/oauth/token"
        self.http = http
        self.profile = profile
        self.tokenFrom = tokenFrom
    }

    func token() async throws(FolioError) -> String {
        if let access { return access }
        switch source {
        case .fixed(let token): access = token
        case .command(let command): access = try Self.run(command)
        case .oauthClient(let id, let secret):
            return try await shared { provider throws(FolioError) in
                try await provider.grant(Self.clientCredentials(id, secret))
            }
        }
        return access ?? ""
    }

    /// Runs a token command now, while the terminal is still the shell's, so
    /// that a password manager can ask for its passphrase on it. Other sources
    /// wait for the first request (an OAuth grant is a request like any other).
    func prepare() async throws(FolioError) {
        if case .command = source { _ = try await token() }
    }

    /// After a 401 with `rejected`: a new token, or nil when this source cannot renew.
    /// Requests refused together share one renewal: the first starts it, the
    /// others wait for it, and one refused after it gets the renewed token.
    func renew(after rejected: String) async throws(FolioError) -> String? {
        guard case .oauthClient(let id, let secret) = source else { return nil }
        if let grant = inFlight { return try await Self.value(of: grant) }
        if let access, access != rejected { return access }
        access = nil
        let refresh = self.refresh
        return try await shared { provider throws(FolioError) in
            if let refresh, let renewed = try? await provider.grant("grant_type=refresh_token&refresh_token=\(Self.form(refresh))") {
                return renewed
            }
            return try await provider.grant(Self.clientCredentials(id, secret))
        }
    }

    /// The grant in flight, which every request that needs a token waits for.
    private var inFlight: Task<String, any Error>?

    /// Runs `grant` once for everyone who needs a token now, and keeps its token.
    private func shared(_ grant: @escaping @Sendable (TokenProvider) async throws(FolioError) -> String) async throws(FolioError) -> String
    {
        if let inFlight { return try await Self.value(of: inFlight) }
        let task = Task { try await grant(self) }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await Self.value(of: task)
        access = fresh
        return fresh
    }

    private static func value(of task: Task<String, any Error>) async throws(FolioError) -> String {
        do { return try await task.value } catch let error as FolioError { throw error } catch {
            throw .network(host: "the token endpoint", reason: "cancelled")
        }
    }

    private static func clientCredentials(_ id: String, _ secret: String) -> String {
        "grant_type=client_credentials&client_id=\(form(id))&client_secret=\(form(secret))"
    }

    private func grant(_ body: String) async throws(FolioError) -> String {
        var request = HTTPClientRequest(url: tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let status: Int
        let data: Data
        let http = self.http
        do {
            (status, data) = try await APIClient.within(.seconds(30)) { [request] in
                let response = try await http.execute(request, timeout: .seconds(30))
                return (Int(response.status.code), Data(try await response.body.collect(upTo: 1 << 20).readableBytesView))
            }
        } catch {
            throw APIClient.transportError(error, url: tokenURL)
        }
        guard status == 200 else {
            if status == 400 || status == 401 { throw .unauthorized(profile: profile, tokenFrom: tokenFrom) }
            throw APIClient.statusError(status, data, what: "token").mapText(secrets.redact)
        }
        struct Grant: Decodable {
            let access_token: String
            let refresh_token: String?
        }
        guard let grant = try? JSONDecoder().decode(Grant.self, from: data) else {
            throw .malformedResponse(field: "access_token", reason: "missing from the token answer")
        }
        refresh = grant.refresh_token
        return grant.access_token
    }

    static func form(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// Runs a token command through the shell; its first line of stdout is the token.
    static func run(_ command: String) throws(FolioError) -> String {
        let (status, data) = try TokenCommand.run(command)
        guard status == 0 else {
            throw .configuration("the token command failed (exit \(status)) — run it by hand to see why")
        }
        let token = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !token.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .configuration("the token command printed nothing")
        }
        return token.trimmingCharacters(in: .whitespaces)
    }
}
