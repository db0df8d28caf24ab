import GRDB

struct OAuthTokenRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "oauth_tokens"
    var tokenHash: String
    var kind: String
    var clientId: String
    /// Unix seconds.
    var expiresAt: Int64

    enum Columns {
        static let expiresAt = Column("expires_at")
    }
}
