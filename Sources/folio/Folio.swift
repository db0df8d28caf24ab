import ArgumentParser
import FolioCLIOutput
import Foundation

/// `folio`: the entry point. Alone it opens the terminal interface on the
/// configured store; each subcommand lives in its own file.
@main
struct Folio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "A keyboard-first terminal client for a store's invoices.",
        discussion: """
            Without a subcommand, opens the invoice list on the configured store: a profile in \
            ~/.config/folio/config.yaml, or FOLIO_BASE_URL and FOLIO_TOKEN. Press ? in it for every \
            key. `folio demo` tries it on sample data with nothing else; `folio serve` runs the \
            reference server of the invoice API alone.
            """,
        subcommands: [
            DemoCommand.self, InvoicesCommand.self, OrdersCommand.self, CreditMemosCommand.self, JournalCommand.self, ServeCommand.self,
        ]
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var look: LookOptions

    func run() async throws {
        try await runTerminal()
    }

    /// ArgumentParser's own main, with two changes. SIGPIPE is ignored, so a
    /// reader that closes the pipe early is an EPIPE that `StandardStreams`
    /// ends quietly instead of a signal. And a usage error (unknown flag, bad
    /// value, a `validate()` that fails) exits 2, the status the README
    /// documents for every usage error, instead of ArgumentParser's 64.
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            // A word outside an option's closed set: our one line, not ArgumentParser's several.
            if let refusal = ArgumentRefusal.take() {
                Output.error(refusal)
            } else {
                StandardStreams.err(fullMessage(for: error) + "\n")
            }
            StandardStreams.end(usageStatus)
        }
    }

    /// The exit status of a usage error.
    static let usageStatus: Int32 = 2
}
