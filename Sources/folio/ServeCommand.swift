import ArgumentParser
import FolioServer
import Foundation
import Logging

/// `folio serve`: the reference server of the invoice API, on SQLite.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the reference server of the invoice API (HTTP + SQLite).",
        discussion: """
            Prints `listening on http://HOST:PORT` on stdout once it accepts requests; logs go to \
            stderr. SIGINT or SIGTERM stop it cleanly. Fault switches can also be flipped while it \
            runs with `POST /sandbox/faults` (full tokens only).

            Secrets: a command line is visible to every user of the machine, so tokens and client \
            secrets are better given in the environment — FOLIO_SERVE_TOKENS, \
            FOLIO_SERVE_LIMITED_TOKENS, FOLIO_SERVE_CLIENTS (ID:SECRET), each a list separated by \
            commas or spaces — or in a file named by --token-file: one `token VALUE`, \
            `limited-token VALUE` or `client ID:SECRET` a line, `#` for comments, readable by its \
            owner only (chmod 600). All sources add up.
            """
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: "Port to listen on; 0 picks any free port.") var port = 8080
    @Option(help: "SQLite database file (created if missing). Default: a temporary database.") var db: String?
    @Option(parsing: .unconditional, help: "Generate N orders, with their invoices, into an empty database.") var seed: Int?
    @Option(name: .customLong("seed-random"), parsing: .unconditional, help: "Random seed of the generated data (same seed, same data).")
    var seedRandom: UInt64 = 1
    @Option(help: "A fixed token with every permission and the sandbox (repeatable; visible in ps, see Secrets).")
    var token: [String] = []
    @Option(
        name: .customLong("limited-token"),
        help: "A fixed token without sales.invoices.view or the sandbox (repeatable; visible in ps).")
    var limitedToken: [String] = []
    @Option(help: "An OAuth client as ID:SECRET (repeatable; visible in ps).") var client: [String] = []
    @Option(name: .customLong("token-file"), help: "A file of tokens and clients, readable by its owner only (see Secrets).")
    var tokenFile: String?
    @Option(
        name: .customLong("token-ttl"), parsing: .unconditional,
        help: "Lifetime of issued OAuth access tokens, in seconds (at most a year).")
    var tokenTTL: Int64 = 3600
    @Flag(name: .customLong("fault-smtp"), help: "Sending email fails (create still succeeds with email_sent 0).")
    var faultSMTP = false
    @Option(name: .customLong("fault-latency"), parsing: .unconditional, help: "Milliseconds added to every request.") var faultLatency = 0
    @Flag(name: .customLong("fault-drop-after-create"), help: "Create commits, then drops the connection unanswered.")
    var faultDrop = false
    @Flag(name: .customLong("fault-drop-before-create"), help: "Create drops the connection and does nothing.")
    var faultDropBefore = false
    @Flag(name: .customLong("fault-lock-contention"), help: "Writes answer 503 as under lock contention.")
    var faultLock = false
    @Option(name: .customLong("log-level"), help: "How much to log.") var logLevel: Logger.Level = .info

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if let seed, !(0...ServerOptions.maximumSeedOrders).contains(seed) {
            throw ValidationError("--seed must be 0 to \(ServerOptions.maximumSeedOrders)")
        }
        guard (1...ServerOptions.maximumAccessTokenLifetime).contains(tokenTTL) else {
            throw ValidationError("--token-ttl must be 1 to \(ServerOptions.maximumAccessTokenLifetime) seconds")
        }
        guard (0...60_000).contains(faultLatency) else { throw ValidationError("--fault-latency must be 0 to 60000") }
        for c in client where (try? ServerSecrets.client(c)) == nil { throw ValidationError("--client takes ID:SECRET") }
    }

    /// Flags, environment and token file, added up.
    func secrets() throws -> ServerSecrets {
        var secrets = ServerSecrets(tokens: token, limitedTokens: limitedToken, clients: try client.map(ServerSecrets.client))
        secrets.add(try ServerSecrets.fromEnvironment(ProcessInfo.processInfo.environment))
        if let tokenFile { secrets.add(try ServerSecrets.read(file: tokenFile)) }
        return secrets
    }

    func run() async throws {
        var options = ServerOptions()
        options.host = host
        options.port = port
        options.databasePath = db
        options.seedOrders = seed
        options.seedRandom = seedRandom
        let secrets: ServerSecrets
        do { secrets = try self.secrets() } catch {
            StandardStreams.err("folio serve: \(error)\n")
            throw ExitCode(2)
        }
        options.tokens = secrets.tokens
        options.limitedTokens = secrets.limitedTokens
        options.clients = secrets.clients
        options.accessTokenLifetime = tokenTTL
        options.faults = Faults(
            smtpFailing: faultSMTP, latencyMilliseconds: faultLatency,
            dropAfterCreate: faultDrop, dropBeforeCreate: faultDropBefore, lockContention: faultLock)
        if secrets.isEmpty {
            StandardStreams.err("note: no token or client given (flags, FOLIO_SERVE_* or --token-file); every API call will answer 401\n")
        }
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "folio.serve")
        do {
            try await ReferenceServer.run(options: options, logger: logger) { host, port in
                let shownHost = host.contains(":") ? "[\(host)]" : host
                // A whole line in one write, unbuffered: scripts wait for it.
                StandardStreams.out("listening on http://\(shownHost):\(port)\n")
            }
        } catch {
            StandardStreams.err("folio serve: \(error)\n")
            throw ExitCode(1)
        }
    }
}
