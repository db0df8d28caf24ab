import FolioServer

/// The real reference server for tests: an ephemeral loopback port, a fresh
/// seeded temporary database, fixed test tokens and an OAuth client.
public enum TestServer {
    public static let token = "test-token-full"
    public static let limitedToken = "test-token-limited"
    public static let client = OAuthClientCredential(id: "erp", secret: "s3cret")

    public static func options(
        orders: Int, faults: Faults, accessTokenLifetime: Int64, seed: UInt64,
        tokens: [String]
    ) -> ServerOptions {
        var options = ServerOptions()
        options.port = 0
        options.seedOrders = orders
        options.seedRandom = seed
        options.tokens = tokens
        options.limitedTokens = [limitedToken]
        options.clients = [client]
        options.faults = faults
        options.accessTokenLifetime = accessTokenLifetime
        return options
    }

    /// Runs `body` against a fresh server and always stops it.
    public static func with<T>(
        orders: Int = 150, faults: Faults = Faults(), accessTokenLifetime: Int64 = 3600,
        seed: UInt64 = 7, tokens: [String] = [token],
        _ body: (RunningServer) async throws -> T
    ) async throws -> T {
        let server = try await ReferenceServer.start(
            options: options(
                orders: orders, faults: faults, accessTokenLifetime: accessTokenLifetime, seed: seed, tokens: tokens))
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}
