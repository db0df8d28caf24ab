import ArgumentParser
import FolioCLIOutput
import FolioCore
import Foundation

/// `folio invoices …`: the client core, scriptable.
struct InvoicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices",
        abstract: "List, show, create, email and export invoices.",
        discussion: """
            Exit codes: 0 ok, 2 usage, 3 not found, 4 authentication, 5 refused or conflict, 6 server or \
            network (for a write: it certainly did not happen), 7 outcome unknown — the write may have \
            been done: see `folio journal`. 8 the output could not be written (a full disk); a reader \
            that closes the pipe early is not an error: the rest is dropped.
            """,
        subcommands: [List.self, Show.self, Create.self, Email.self, Export.self]
    )

    /// The listing filters, shared by `list` and `export`.
    struct Filters: ParsableArguments {
        @Option(
            help: ArgumentHelp("open, paid or canceled (repeatable, or comma-separated).", valueName: "state"),
            completion: .list(StateFilter.allValueStrings), transform: StateFilter.commaList)
        var state: [[StateFilter]] = []
        @Option(help: "Created on or after: YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\".") var from: String?
        @Option(help: "Created on or before (a date includes the whole day).") var to: String?
        @Option(help: "Only this order's invoices (order number).") var order: String?
        @Option(help: "Only invoices of the customer with this email (exact, any case).") var customer: String?
        @Option(help: "Only invoices whose bill-to name contains this (any case; accents folded on the reference server).")
        var name: String?
        @Option(help: "The field to sort by.") var sort: InvoiceQuery.SortField = .entityId
        @Flag(exclusivity: .chooseLast) var direction: SortDirection?

        func query() throws(FolioError) -> InvoiceQuery {
            var q = InvoiceQuery()
            q.states = Set(state.joined().map(\.state))
            if let from {
                guard let bound = DateBound(from) else {
                    throw .invalidInput("--from takes YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\", not \(from)")
                }
                q.createdFrom = bound
            }
            if let to {
                guard let bound = DateBound(to) else { throw .invalidInput("--to takes YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\", not \(to)") }
                q.createdTo = bound
            }
            q.orderIncrementId = order
            if customer != nil, name != nil { throw .invalidInput("give --customer or --name, not both") }
            if let customer {
                guard case .customer(.email(let email)) = try SearchTerm.reading(customer) else {
                    throw .invalidInput("--customer takes an email address, not “\(customer)” (--name searches names)")
                }
                q.customer = .email(email)
            }
            if let name {
                guard case .customer(.name(let text)) = try SearchTerm.reading(name) else {
                    throw .invalidInput("--name takes part of a name, not “\(name)” (--customer takes an email, --order a number)")
                }
                q.customer = .name(text)
            }
            q.sort = sort
            q.descending = direction.map { $0 == .desc } ?? (sort == .entityId)
            return q
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "One page of invoices as a table, JSON or CSV.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var filters: Filters
        // `.unconditional`: `--page -1` is a value to refuse by name, not a missing one.
        @Option(parsing: .unconditional, help: "Page number.") var page = 1
        @Option(parsing: .unconditional, help: "Rows per page (1–200).") var limit = 20
        @Flag(help: "JSON for scripts.") var json = false
        @Flag(help: "CSV for spreadsheets.") var csv = false

        func validate() throws {
            guard page >= 1 else { throw ValidationError("--page must be 1 or more, not \(page)") }
            guard (1...200).contains(limit) else { throw ValidationError("--limit must be 1 to 200, not \(limit)") }
        }

        func run() async throws {
            try await reporting {
                var query: InvoiceQuery
                do throws(FolioError) { query = try filters.query() } catch { throw CLIFailure(error) }
                query.page = page
                query.limit = limit
                let page = try await connection.withClient { client, _ throws(FolioError) in try await client.invoices(query) }
                if json {
                    Output.json(
                        .object([
                            "invoices": .array(page.items.map(JSONShapes.summary)), "page": .int(Int64(page.page)),
                            "limit": .int(Int64(page.limit)), "total": .number(page.total.map(Int64.init)),
                            "last_page": .number(page.lastPage.map(Int64.init)), "has_next": .bool(page.hasNext),
                        ]))
                } else if csv {
                    StandardStreams.out(Output.csv(InvoiceCSV.header) + "\n")
                    for invoice in page.items { StandardStreams.out(InvoiceCSV.row(invoice) + "\n") }
                } else {
                    Output.table(
                        ["INVOICE", "ORDER", "STATE", "CREATED", "BILL-TO", "GRAND TOTAL", "EMAIL"],
                        page.items.map { i in
                            [
                                i.incrementId, i.orderIncrementId ?? "", i.state.description,
                                String((i.createdAt ?? "").prefix(16)), i.billingName ?? "", i.grandTotal.description,
                                i.emailSent.map { $0 ? "sent" : "not sent" } ?? "",
                            ]
                        }, rightAligned: [5])
                    let total = page.total.map { " of \($0)" } ?? ""
                    Output.line("page \(page.page)\(page.lastPage.map { "/\($0)" } ?? "")\(total) invoices")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Everything about one invoice.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The invoice number (increment id).") var number: String?
        @Option(parsing: .unconditional, help: "The invoice's entity id instead of its number.") var id: Int64?
        @Flag(help: "JSON for scripts.") var json = false

        func validate() throws {
            guard (number == nil) != (id == nil) else { throw ValidationError("give an invoice number or --id, not both") }
            if let id, id < 1 { throw ValidationError("--id must be 1 or more, not \(id)") }
        }

        func run() async throws {
            try await reporting {
                let detail = try await connection.withClient { client, _ throws(FolioError) in
                    if let id { return try await client.invoice(id: id) }
                    return try await client.invoice(number: number!)
                }
                if json { Output.json(JSONShapes.detail(detail)) } else { DetailText.print(detail) }
            }
        }
    }

    /// `folio invoices email N`: resend, by the support desk's rules — a
    /// repeat within the resend window needs `--again "reason"`, and every
    /// resend leaves an internal note on the order.
    struct Email: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "email", abstract: "Resend an invoice's email to the customer (and note it in the order's history).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The invoice number.") var number: String
        @Option(help: "A comment kept with the email (the customer sees it).") var comment: String?
        @Option(
            name: .customLong("again"),
            help:
                "Send again within the resend window (resend_window_minutes, 10 by default), saying why; the reason goes in the order's history."
        )
        var again: String?
        @Flag(
            name: .customLong("even-if-pending"),
            help: "Send even though an earlier resend of this invoice is of unknown outcome.")
        var evenIfPending = false

        func run() async throws {
            try await reporting {
                let reason = try again.map { text in
                    try CLIFailure.checking { () throws(FolioError) in try ResendPolicy.checkedReason(text) }
                }
                let (invoice, report) = try await connection.withClient { client, settings throws(FolioError) in
                    let invoice = try await client.invoice(number: number)
                    let check = await client.resendCheck(
                        invoiceId: invoice.id, number: invoice.incrementId, orderNumber: invoice.orderIncrementId,
                        emailSent: invoice.emailSent, recipient: invoice.customerEmail, journal: settings.journal)
                    if let problem = check.historyProblem {
                        Output.error("warning: \(problem); the repeat check rests on this machine's journal")
                    }
                    let now = Date()
                    if ResendPolicy.isRepeat(check.last, window: settings.resendWindow, now: now), reason == nil {
                        let minutes = settings.resendWindow.components.seconds / 60
                        throw .invalidInput(
                            "invoice \(invoice.incrementId) was emailed \(ResendPolicy.describe(check.last, now: now)) — within \(minutes) minutes a resend needs a reason: --again \"why\""
                        )
                    }
                    let resend = Resend(
                        invoiceId: invoice.id, invoiceNumber: invoice.incrementId, orderNumber: invoice.orderIncrementId,
                        recipient: invoice.customerEmail, comment: comment, again: check.last != nil, reason: reason,
                        clerk: ResendPolicy.clerk())
                    return (invoice, try await client.resend(resend, journal: settings.journal, evenIfPending: evenIfPending))
                }
                let order = invoice.orderIncrementId ?? "?"
                func noted() {
                    guard let said = report.note?.said(order: order) else { return }
                    if said.fine { Output.line(said.text) } else { Output.error("warning: " + said.text) }
                }
                guard report.resent.emailSent else {
                    Output.error(
                        "the store took the resend of \(invoice.incrementId) but says the email was not sent (ref \(report.resent.reference)) — check the store's mail settings"
                    )
                    noted()
                    throw ExitCode(5)
                }
                defer { noted() }
                Output.line(
                    "email for invoice \(invoice.incrementId) sent to \(invoice.customerEmail ?? "the customer"), ref \(report.resent.reference)"
                )
            }
        }
    }
}
