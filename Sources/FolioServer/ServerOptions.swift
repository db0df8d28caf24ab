/// How to run the reference server; `folio serve` fills it from its flags.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks any free port; the chosen one is reported once listening.
    public var port = 8080
    /// nil: a temporary database, removed when the server stops.
    public var databasePath: String?
    /// Generate this many orders (with their invoices) into an empty database.
    public var seedOrders: Int?
    public var seedRandom: UInt64 = 1
    /// Fixed tokens with every permission, the sandbox's included.
    public var tokens: [String] = []
    /// Fixed tokens without `sales.invoices.view` and without the sandbox.
    public var limitedTokens: [String] = []
    /// OAuth clients as (id, secret).
    public var clients: [OAuthClientCredential] = []
    public var faults = Faults()
    /// Lifetime of issued OAuth access tokens, in seconds (1 to `maximumAccessTokenLifetime`).
    public var accessTokenLifetime: Int64 = 3600

    /// A year: a token meant to live longer is a fixed token. The bound keeps
    /// expiry times far from overflowing.
    public static let maximumAccessTokenLifetime: Int64 = 366 * 86_400
    /// More orders than a demo or a benchmark needs only exhausts memory.
    public static let maximumSeedOrders = 10_000_000

    public init() {}
}
