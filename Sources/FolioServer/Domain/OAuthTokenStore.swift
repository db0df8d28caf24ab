import GRDB

/// The OAuth access and refresh tokens issued to clients, by the digest of
/// the token (never the token itself). `AccessControl` decides who may call;
/// this is where what it issued is kept.
struct OAuthTokenStore: Sendable {
    let database: any DatabaseWriter

    /// The client a live access token was issued to, or nil.
    func clientOfAccessToken(digest key: String, now: Int64) async throws -> String? {
        let row = try await database.read { db in try OAuthTokenRow.fetchOne(db, key: key) }
        guard let row, row.kind == "access", row.expiresAt > now else { return nil }
        return row.clientId
    }

    /// Where a new pair comes from: a client that authenticated, or a live
    /// refresh token, consumed in the same transaction (rotation: it works once).
    enum Owner: Sendable {
        case client(String)
        case refreshToken(digest: String)
    }

    /// Stores a new pair in one write transaction (dropping expired tokens);
    /// returns the client it belongs to. A refresh token that is unknown,
    /// spent or expired is `invalid_grant`.
    func store(
        accessDigest: String, refreshDigest: String, for owner: Owner, now: Int64,
        accessLifetime: Int64, refreshLifetime: Int64
    ) async throws -> String {
        try await database.write { db in
            let clientId: String
            switch owner {
            case .client(let id):
                clientId = id
            case .refreshToken(let key):
                guard let old = try OAuthTokenRow.fetchOne(db, key: key), old.kind == "refresh", old.expiresAt > now
                else { throw APIError(.badRequest, "invalid_grant") }
                try old.delete(db)
                clientId = old.clientId
            }
            try OAuthTokenRow.filter { $0.expiresAt < now }.deleteAll(db)
            try OAuthTokenRow(tokenHash: accessDigest, kind: "access", clientId: clientId, expiresAt: now + accessLifetime).insert(db)
            try OAuthTokenRow(tokenHash: refreshDigest, kind: "refresh", clientId: clientId, expiresAt: now + refreshLifetime).insert(db)
            return clientId
        }
    }
}
