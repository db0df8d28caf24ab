import Foundation
import GRDB
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The reference server of the invoice API: Hummingbird over SQLite.
public enum ReferenceServer {
    /// Opens (creating if needed) the database in WAL mode and migrates it.
    public static func openDatabase(at path: String) throws -> DatabasePool {
        var configuration = Configuration()
        // Another process holding the write lock: wait this long, then answer 503.
        configuration.busyMode = .timeout(2)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try Schema.migrator.migrate(pool)
        return pool
    }

    /// Seeds an empty database; returns the number of orders written (0 when
    /// the database already held orders, which are left untouched).
    @discardableResult
    public static func seedIfEmpty(_ database: any DatabaseWriter, orders: Int, randomSeed: UInt64) throws -> Int {
        let isEmpty = try database.read { db in try OrderRow.fetchCount(db) == 0 }
        guard isEmpty else { return 0 }
        var generator = SeedGenerator(seed: randomSeed)
        try generator.generate(into: database, orders: orders)
        // The seed writes invoices directly: their history is what they already say.
        try database.write { db in try OrderHistoryRow.recordWhatTheStoreSays(db) }
        return orders
    }

    /// Makes a seeded database file whole: everything in the main file (the
    /// write-ahead log checkpointed and emptied), closed, so that the file
    /// alone can be moved into place (`folio demo`).
    public static func makeSeededDatabase(at path: String, orders: Int, randomSeed: UInt64) throws {
        let pool = try openDatabase(at: path)
        try seedIfEmpty(pool, orders: orders, randomSeed: randomSeed)
        _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try pool.close()
    }

    /// Builds the application: stores, controllers, middleware, and the connection-drop fault.
    static func application(
        options: ServerOptions, database: any DatabaseWriter, logger: Logger,
        onListening: @escaping @Sendable (String, Int) async -> Void
    )
        -> some ApplicationProtocol
    {
        let faults = FaultSwitches(options.faults)
        let clock: @Sendable () -> String = { Timestamp.now }
        let access = AccessControl(
            tokens: options.tokens, limitedTokens: options.limitedTokens,
            clients: options.clients.map { ($0.id, $0.secret) }, database: database,
            accessTokenLifetime: options.accessTokenLifetime)
        let invoices = InvoiceStore(database: database, faults: faults, clock: clock)
        let orders = OrderStore(database: database)
        let idempotency = Idempotency(store: IdempotencyStore(database: database, clock: clock), logger: logger)

        // Every path the server serves, each alias said here and only here:
        // a controller's endpoints are mounted at each of its paths.
        let mounts: [(paths: [RouterPath], endpoints: RouteCollection<Context>)] = [
            (
                ["/api2/invoice", "/api2/invoices"],
                InvoiceController(access: access, invoices: invoices, idempotency: idempotency, faults: faults).endpoints
            ),
            (["/api2/order", "/api2/orders"], OrderController(access: access, orders: orders).endpoints),
            (["/api2/customers"], CustomerController(access: access, customers: CustomerStore(database: database)).endpoints),
            (
                ["/api2/history"],
                OrderHistoryController(
                    access: access, history: OrderHistoryStore(database: database, clock: clock), idempotency: idempotency
                )
                .endpoints
            ),
            (
                ["/api2/creditmemo"],
                CreditMemoController(
                    access: access, creditMemos: CreditMemoStore(database: database, faults: faults, clock: clock),
                    idempotency: idempotency, faults: faults
                ).endpoints
            ),
            (["/api/admin/invoices"], AdminInvoiceController(access: access, invoices: invoices).endpoints),
            (["/api2/oauth"], OAuthController(access: access).endpoints),
            (["/sandbox"], SandboxController(access: access, invoices: invoices, faults: faults, logger: logger).endpoints),
        ]

        let router = Router(context: Context.self)
        let routes = KnownRoutes()
        router.add(middleware: ErrorMiddleware(logger: logger, routes: routes))
        router.add(middleware: FaultMiddleware(faults: faults))
        router.add(middleware: LogRequestsMiddleware(.debug))
        for mount in mounts {
            for path in mount.paths { router.addRoutes(mount.endpoints, atPath: path) }
        }
        routes.record(router.routes)
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionDropHandler()])),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                await onListening(options.host, channel.localAddress?.port ?? options.port)
            },
            logger: logger)
    }

    /// Runs in the foreground until SIGINT or SIGTERM (`folio serve`).
    public static func run(
        options: ServerOptions, logger: Logger,
        onListening: @escaping @Sendable (String, Int) async -> Void
    ) async throws {
        let (database, cleanup) = try prepareDatabase(options, logger: logger)
        defer { cleanup() }
        let app = application(options: options, database: database, logger: logger, onListening: onListening)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        try? database.close()
    }

    /// Starts in the background (tests, `folio demo`); returns once listening.
    public static func start(
        options: ServerOptions, logger: Logger = Logger(label: "folio.server")
    ) async throws
        -> RunningServer
    {
        let (database, cleanup) = try prepareDatabase(options, logger: logger)
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        let app = application(options: options, database: database, logger: logger) { _, port in
            readyContinuation.yield(port)
            readyContinuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { cleanup() }
            do { try await group.run() } catch { readyContinuation.finish() }
        }
        var iterator = ready.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = await task.result
            throw ServerStartError(message: "the server did not start on \(options.host):\(options.port)")
        }
        return RunningServer(host: options.host, port: port, database: database, group: group, task: task)
    }

    private static func prepareDatabase(
        _ options: ServerOptions, logger: Logger
    ) throws
        -> (DatabasePool, @Sendable () -> Void)
    {
        if let orders = options.seedOrders, !(0...ServerOptions.maximumSeedOrders).contains(orders) {
            throw ServerStartError(message: "seed orders must be 0 to \(ServerOptions.maximumSeedOrders)")
        }
        var path = options.databasePath
        var temporaryDirectory: URL?
        if path == nil {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            temporaryDirectory = dir
            path = dir.appendingPathComponent("folio.sqlite").path
        }
        let database = try openDatabase(at: path!)
        if let orders = options.seedOrders {
            let written = try seedIfEmpty(database, orders: orders, randomSeed: options.seedRandom)
            if written == 0 { logger.notice("database already holds orders; --seed ignored") }
        }
        let created = temporaryDirectory
        let cleanup: @Sendable () -> Void = {
            if let temporaryDirectory = created { try? FileManager.default.removeItem(at: temporaryDirectory) }
        }
        return (database, cleanup)
    }
}
