import ArgumentParser
import FolioCLIOutput
import FolioCore
import FolioServer
import FolioTUI
import FolioTerminal
import Foundation
import Logging

/// What both terminal entry points (`folio` and `folio demo`) take.
struct LookOptions: ParsableArguments {
    @Option(help: "Colour theme: a shipped name (default, dark-256, light, high-contrast, monochrome) or a YAML file.")
    var theme: String?
    @Flag(help: "Let Folio have the mouse: a click picks a row, the wheel scrolls (the terminal's own select and paste then need Shift).")
    var mouse = false
}

extension Folio {
    /// `folio` alone: the terminal interface on the configured profile.
    func runTerminal() async throws {
        try await reporting {
            let result = try await connection.withClient(theme: look.theme) { client, settings throws(FolioError) in
                try await client.prepareToken()
                var options = TerminalApp.Options(context: settings.profile.name)
                options.pageSize = settings.pageSize
                options.theme = settings.theme
                options.themesDirectory = (settings.configPath as NSString).deletingLastPathComponent + "/themes"
                options.mouse = look.mouse
                options.resendWindow = settings.resendWindow
                return await TerminalApp.run(client: client, journal: settings.journal, options: options)
            }
            try finish(result)
        }
    }
}

/// Ends a terminal session the way the shell expects: its status, or the
/// reason the terminal could not be opened.
func finish(_ result: Result<Int32, TerminalError>) throws {
    switch result {
    case .success(0): return
    case .success(let status): throw ExitCode(status)
    case .failure(let error): throw CLIFailure(.configuration(error.description))
    }
}

/// `folio demo`: the reference server in this process, on a free loopback
/// port, with seeded data, and the terminal interface on it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Try Folio with nothing else: a local reference server with sample data, and the terminal interface on it.",
        discussion: """
            The sample database is made once in $XDG_CACHE_HOME/folio (or ~/.cache/folio) and \
            reused, so later starts are instant; --reset makes it again. Demos started together \
            share it safely (a lock file orders them). Server logs go to demo.log in that folder.
            """
    )

    @Option(parsing: .unconditional, help: "How many sample orders (with their invoices) to generate.") var orders = 2000
    @Flag(help: "Throw the sample database away and generate it again.") var reset = false
    @Option(name: .customLong("page-size"), parsing: .unconditional, help: "Invoices per server page (1-200).") var pageSize = 50
    @OptionGroup var look: LookOptions

    func validate() throws {
        guard (0...200_000).contains(orders) else { throw ValidationError("--orders must be 0 to 200000") }
        guard (1...200).contains(pageSize) else { throw ValidationError("--page-size must be 1 to 200") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let folder = DemoCommand.cacheFolder(environment)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            Output.error("cannot create \(folder): \(error.localizedDescription) — set XDG_CACHE_HOME to a writable folder")
            throw ExitCode(6)
        }
        // The demo's writes are journaled per sample database, and go with it.
        let journal = WriteJournal(profile: "demo-\(orders)")
        let log = folder + "/demo.log"
        LoggingSystem.bootstrap { label in FileLogHandler(path: log, label: label) }
        // Held until the process ends: no other demo resets the data under this one.
        let cache = DemoCache(folder: folder, orders: orders)
        let hold: DemoCache.Hold
        do {
            hold = try cache.prepare(
                reset: reset, say: { StandardStreams.err($0 + "\n") },
                seeded: { count in
                    try? FileManager.default.removeItem(atPath: journal.path)
                    Logger(label: "folio.demo").notice("seeded \(count) sample orders into \(cache.database)")
                })
        } catch {
            Output.error("\(error)")
            throw ExitCode(6)
        }
        defer { hold.release() }

        var options = ServerOptions()
        options.port = 0
        options.databasePath = cache.database
        let token = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
        options.tokens = [token]
        let server: RunningServer
        do {
            server = try await ReferenceServer.start(options: options, logger: Logger(label: "folio.demo.server"))
        } catch {
            Output.error("the demo server did not start: \(error) — see \(log)")
            throw ExitCode(6)
        }
        let client: APIClient
        do {
            client = try APIClient(.init(baseURL: server.baseURL, profile: "demo", token: .fixed(token)))
        } catch {
            await server.stop()
            Output.error(error.message)
            throw ExitCode(error.exitCode)
        }
        var app = TerminalApp.Options(context: "demo")
        app.pageSize = pageSize
        app.theme = look.theme
        app.mouse = look.mouse
        let result = await TerminalApp.run(client: client, journal: journal, options: app)
        await client.shutdown()
        await server.stop()
        try await reporting { try finish(result) }
    }

    static func cacheFolder(_ environment: [String: String]) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/folio" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/folio"
    }
}

/// Log lines to a file, so that nothing a library logs lands on the screen.
struct FileLogHandler: LogHandler {
    private let sink: FileSink
    private let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(path: String, label: String) {
        sink = FileSink.shared(path)
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let extra = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.write("\(Date().formatted(.iso8601)) \(event.level) \(label): \(event.message)\(extra)\n")
    }
}

/// One open file per path, appended to under a lock.
final class FileSink: @unchecked Sendable {
    private let handle: FileHandle?
    private let lock = NSLock()
    nonisolated(unsafe) private static var sinks: [String: FileSink] = [:]
    private static let sinksLock = NSLock()

    private init(path: String) {
        // A file that cannot be made leaves `handle` nil: the log is dropped, the command goes on.
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
    }

    static func shared(_ path: String) -> FileSink {
        sinksLock.withLock {
            if let sink = sinks[path] { return sink }
            let sink = FileSink(path: path)
            sinks[path] = sink
            return sink
        }
    }

    func write(_ line: String) {
        lock.withLock { handle?.write(Data(line.utf8)) }
    }
}
