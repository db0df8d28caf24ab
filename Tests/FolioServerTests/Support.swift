import AsyncHTTPClient
import FolioTestSupport
import Foundation
import NIOCore
import NIOHTTP1

@testable import FolioServer

/// A live reference server on an ephemeral loopback port, with its own
/// temporary database: every test talks to it over real HTTP.
struct LiveServer {
    static let token = TestServer.token
    static let limitedToken = TestServer.limitedToken

    let server: RunningServer
    var baseURL: String { server.baseURL }

    static func start(orders: Int = 150) async throws -> LiveServer {
        LiveServer(
            server: try await ReferenceServer.start(
                options: TestServer.options(
                    orders: orders, faults: Faults(), accessTokenLifetime: 3600, seed: 7, tokens: [token])))
    }

    /// Runs `body` against a fresh server and always stops it.
    static func with<T>(
        orders: Int = 150, faults: Faults = Faults(), accessTokenLifetime: Int64 = 3600,
        tokens: [String] = [token], _ body: (LiveServer) async throws -> T
    ) async throws -> T {
        try await TestServer.with(orders: orders, faults: faults, accessTokenLifetime: accessTokenLifetime, tokens: tokens) {
            try await body(LiveServer(server: $0))
        }
    }

    /// Runs `body` against a server started with `options` and always stops it.
    static func with<T>(options: ServerOptions, _ body: (LiveServer) async throws -> T) async throws -> T {
        let server = try await ReferenceServer.start(options: options)
        do {
            let result = try await body(LiveServer(server: server))
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    struct Reply {
        let status: Int
        let body: String
        let headers: HTTPHeaders
        var json: JSON {
            get throws { try JSON.parse(body) }
        }
        /// The `error` text of an error body.
        var error: String? { (try? json)?["error"].flatMap { if case .string(let s) = $0 { s } else { nil } } }
    }

    func request(
        _ method: HTTPMethod, _ path: String, token: String? = LiveServer.token, json: String? = nil,
        form: String? = nil, headers extra: [(String, String)] = [], chunked: Bool = false
    ) async throws -> Reply {
        let reply = try await SandboxClient(baseURL: baseURL, token: token)
            .request(method, path, json: json, form: form, headers: extra, chunked: chunked)
        return Reply(status: reply.status, body: reply.text, headers: reply.headers)
    }

    func get(_ path: String, token: String? = LiveServer.token, json: String? = nil) async throws -> Reply {
        try await request(.GET, path, token: token, json: json)
    }

    func post(_ path: String, token: String? = LiveServer.token, json: String) async throws -> Reply {
        try await request(.POST, path, token: token, json: json)
    }

    /// A POST with an `Idempotency-Key`.
    func post(_ path: String, key: String, token: String = LiveServer.token, json: String) async throws -> Reply {
        try await request(.POST, path, token: token, json: json, headers: [("Idempotency-Key", key)])
    }

    /// Records `key` as in flight for `json` on `route`, as a request that
    /// committed its write and never finished answering would have left it.
    /// A key left in flight by a request of this run of the server, or (`ofThisRun` false) of an earlier one.
    func keyInFlight(
        _ key: String, route: String, json: String, token: String = LiveServer.token, ofThisRun: Bool = true
    ) async throws {
        let row = IdempotencyKeyRow(
            principal: "token:" + AccessControl.hex(AccessControl.digest(token)), idempotencyKey: key,
            fingerprint: RequestFingerprint.of(method: .post, route: route, query: [], body: ByteBuffer(string: json)),
            owner: (ofThisRun ? IdempotencyStore.run : "an earlier run") + "/a request that never finished", createdAt: Timestamp.now,
            answerStatus: nil, answerBody: nil)
        try await server.database.write { db in try row.insert(db) }
    }

    /// Counts of rows that a refused request must not have changed.
    func footprint() async throws -> [Int] {
        try await server.database.read { db in
            try ["invoices", "invoice_items", "invoice_comments", "outbox"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            } + [Int.fetchOne(db, sql: "SELECT SUM(qty_invoiced) FROM order_items") ?? -1]
        }
    }
}

extension JSON {
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var numberText: String? { if case .number(let n) = self { n } else { nil } }
    var array: [JSON]? { if case .array(let a) = self { a } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// A number or a numeric string, as an exact `Decimal`.
    var decimal: Decimal? { (numberText ?? string).flatMap { Decimal(string: $0) } }
    var int: Int? { numberText.flatMap { Int($0) } }
}
