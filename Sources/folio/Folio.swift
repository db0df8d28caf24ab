import ArgumentParser

/// `folio`: the entry point. Each subcommand lives in its own file.
@main
struct Folio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "A keyboard-first terminal client for a store's invoices.",
        discussion: """
            Start with `folio serve --seed 5000 --token T` to run the reference server \
            of the invoice API on this machine.
            """,
        subcommands: [ServeCommand.self]
    )
}
