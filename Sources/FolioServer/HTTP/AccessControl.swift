import Crypto
import Foundation
import GRDB
import HTTPTypes
import Hummingbird

/// Who may call the server: fixed tokens given on the command line, OAuth
/// clients, and the access and refresh tokens issued to those clients.
///
/// Only SHA-256 digests of tokens and secrets are kept, in memory or in the
/// database; presented secrets are hashed and compared in constant time.
struct AccessControl: Sendable {
    struct FixedToken: Sendable {
        let digest: [UInt8]
        let permissions: Set<String>
    }
    struct Client: Sendable {
        let id: String
        let secretDigest: [UInt8]
    }

    let fixedTokens: [FixedToken]
    let clients: [Client]
    /// The tokens issued to OAuth clients.
    let issued: OAuthTokenStore
    let accessTokenLifetime: Int64
    let refreshTokenLifetime: Int64 = 30 * 24 * 3600

    init(
        tokens: [String], limitedTokens: [String], clients: [(String, String)],
        database: any DatabaseWriter, accessTokenLifetime: Int64
    ) {
        var limited = Principal.allPermissions
        limited.remove("sales.invoices.view")
        let full = Principal.allPermissions.union([Principal.sandbox])
        self.fixedTokens =
            tokens.map { FixedToken(digest: Self.digest($0), permissions: full) }
            + limitedTokens.map { FixedToken(digest: Self.digest($0), permissions: limited) }
        self.clients = clients.map { Client(id: $0.0, secretDigest: Self.digest($0.1)) }
        self.issued = OAuthTokenStore(database: database)
        // Bounded here too, whoever filled the options: `now + lifetime` cannot overflow.
        self.accessTokenLifetime = min(max(accessTokenLifetime, 1), ServerOptions.maximumAccessTokenLifetime)
    }

    static func digest(_ secret: String) -> [UInt8] { Array(SHA256.hash(data: Data(secret.utf8))) }
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Equal-length digests compared without an early exit.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// The caller of a request, or a 401 for a missing, unknown or expired token.
    func authenticate(_ request: Request) async throws -> Principal {
        guard let header = request.headers[.authorization] else { throw APIError.unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.unauthorized }
        let presented = Self.digest(String(parts[1]).trimmed)
        var match: Set<String>?
        for token in fixedTokens where Self.constantTimeEquals(token.digest, presented) {
            match = token.permissions
        }
        let key = Self.hex(presented)
        if let match { return Principal(id: "token:" + key, permissions: match) }
        // Looked up by digest: the presented token never meets a stored secret.
        guard let clientId = try await issued.clientOfAccessToken(digest: key, now: Int64(Date().timeIntervalSince1970)) else {
            throw APIError.unauthorized
        }
        return Principal(id: "client:" + clientId, permissions: Principal.allPermissions)
    }

    /// The caller of a request, who must hold `permission`: 401 without a
    /// valid token, 403 with one that lacks it.
    func authorize(_ request: Request, _ permission: String) async throws -> Principal {
        let principal = try await authenticate(request)
        guard principal.permissions.contains(permission) else { throw APIError.forbidden }
        return principal
    }

    func client(id: String, secret: String) -> Client? {
        let digest = Self.digest(secret)
        var found: Client?
        for client in clients where client.id == id && Self.constantTimeEquals(client.secretDigest, digest) {
            found = client
        }
        return found
    }

    struct IssuedTokens {
        let access: String
        let refresh: String
        let expiresIn: Int64
    }

    /// New access and refresh tokens for a client.
    func issue(clientId: String) async throws -> IssuedTokens {
        try await issue(for: .client(clientId))
    }

    /// New tokens for the client a live refresh token was issued to; the
    /// refresh token is consumed in the same transaction (rotation), so it
    /// works once however many requests race with it.
    func rotate(refreshToken: String) async throws -> IssuedTokens {
        try await issue(for: .refreshToken(digest: Self.hex(Self.digest(refreshToken))))
    }

    private func issue(for owner: OAuthTokenStore.Owner) async throws -> IssuedTokens {
        let access = Self.newToken()
        let refresh = Self.newToken()
        // Whole seconds, rounded up: a token lives at least its lifetime, never a fraction of it.
        let now = Int64(Date().timeIntervalSince1970.rounded(.up))
        _ = try await issued.store(
            accessDigest: Self.hex(Self.digest(access)), refreshDigest: Self.hex(Self.digest(refresh)),
            for: owner, now: now, accessLifetime: accessTokenLifetime, refreshLifetime: refreshTokenLifetime)
        return IssuedTokens(access: access, refresh: refresh, expiresIn: accessTokenLifetime)
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
