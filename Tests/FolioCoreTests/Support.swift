import AsyncHTTPClient
import FolioCore
import FolioServer
import FolioTestSupport
import Foundation
import GRDB
import NIOCore

/// The real reference server on an ephemeral loopback port, and clients for it.
struct Store {
    static let token = TestServer.token
    static let limitedToken = TestServer.limitedToken

    let server: RunningServer
    /// A journal of writes of this test's own, in a fresh temporary folder.
    let journal: WriteJournal
    var baseURL: String { server.baseURL }

    static func with<T>(
        orders: Int = 150, faults: Faults = Faults(), accessTokenLifetime: Int64 = 3600,
        _ body: (Store) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-journal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try await TestServer.with(orders: orders, faults: faults, accessTokenLifetime: accessTokenLifetime, seed: 11) {
            try await body(Store(server: $0, journal: WriteJournal(profile: "test", directory: folder)))
        }
    }

    /// A client of this store; closed after `body`.
    /// `via`: another address to reach it by (a fault proxy in front of it).
    func client<T>(
        token: TokenSource = .fixed(Store.token), via: String? = nil, tune: (inout APIClient.Settings) -> Void = { _ in },
        _ body: (APIClient) async throws -> T
    ) async throws -> T {
        var settings = APIClient.Settings(baseURL: via ?? baseURL, profile: "test", token: token)
        settings.retryBase = .milliseconds(10)
        tune(&settings)
        return try await APIClient.using(settings, body)
    }

    /// The store from the side, as another tool would reach it.
    var sandbox: SandboxClient { SandboxClient(baseURL: baseURL) }

    /// Flips the server's fault switches, as a test or demo would.
    func faults(_ json: String) async throws { try await sandbox.faults(json) }

    /// A POST straight to the store, as another tool (not Folio) would send it.
    func post(_ path: String, _ json: String) async throws { try await sandbox.post(path, json) }

    func count(_ sql: String) async throws -> Int {
        try await server.database.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }
}

/// The error a call threw, for `#expect(await failure { … } == .x)`.
func failure<T>(_ body: () async throws -> T) async -> FolioError? {
    do {
        _ = try await body()
        return nil
    } catch let error as FolioError {
        return error
    } catch {
        return .invalidInput("unexpected \(error)")
    }
}

extension APIClient {
    /// A client made from `settings`, closed after `body` however it ends.
    static func using<T>(_ settings: Settings, _ body: (APIClient) async throws -> T) async throws -> T {
        let client = try APIClient(settings)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
