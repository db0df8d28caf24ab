import ArgumentParser

/// `folio`: the entry point. Each subcommand lives in its own file.
@main
struct Folio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "A keyboard-first terminal client for a store's invoices.",
        discussion: """
            Connect to a store with a profile in ~/.config/folio/config.yaml, or with \
            FOLIO_BASE_URL and FOLIO_TOKEN. `folio serve --seed 5000 --token T` runs the \
            reference server of the invoice API on this machine.
            """,
        subcommands: [InvoicesCommand.self, OrdersCommand.self, ServeCommand.self]
    )
}
