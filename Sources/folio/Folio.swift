import ArgumentParser

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
        subcommands: [DemoCommand.self, InvoicesCommand.self, OrdersCommand.self, JournalCommand.self, ServeCommand.self]
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var look: LookOptions

    func run() async throws {
        try await runTerminal()
    }
}
