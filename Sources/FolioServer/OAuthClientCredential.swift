/// An OAuth client the server accepts: its id and secret.
public struct OAuthClientCredential: Sendable, Equatable {
    public let id: String
    public let secret: String
    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }
}
