import ArgumentParser
import FolioCLIOutput
import FolioCore
import Foundation

extension InvoicesCommand {
    /// `folio invoices create`: validated against the order before anything is sent.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Invoice an order, fully or partly.",
            discussion: """
                Without --item every remaining quantity is invoiced. --item SKU=QTY or --item id=ITEM_ID=QTY \
                picks quantities; they are checked against what remains before the request is sent. The \
                create is journaled before it is sent and carries an operation reference; it is never sent \
                twice by Folio. Exit 7 means its outcome is unknown — the invoice may exist: see \
                `folio journal`. A create on an order with a write of unknown outcome is refused (exit 7) \
                until that is resolved, unless --even-if-pending.
                """)
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The order number (increment id).") var order: String
        @Option(name: .customLong("item"), help: "SKU=QTY or id=ITEM_ID=QTY (repeatable).") var items: [String] = []
        @Option(help: "How the money is taken.") var capture: CaptureMode = .offline
        @Flag(help: "Email the invoice to the customer.") var email = false
        @Option(help: "A comment for the audit trail.") var comment: String?
        @Flag(name: .customLong("dry-run"), help: "Print the request and send nothing.") var dryRun = false
        @Flag(help: "JSON for scripts.") var json = false
        @Flag(
            name: .customLong("even-if-pending"),
            help: "Send even though an earlier write on this order is of unknown outcome (check the order first).")
        var evenIfPending = false

        func run() async throws {
            try await reporting {
                let outcome: (CapturePlan, CreatedInvoice?) = try await connection.withClient { client, settings throws(FolioError) in
                    let order = try await client.order(number: self.order)
                    let plan = try CapturePlan(
                        order: order, quantities: try Self.quantities(items, order: order),
                        capture: capture, sendEmail: email, comment: comment)
                    if dryRun { return (plan, nil) }
                    return (plan, try await client.createInvoice(plan, journal: settings.journal, evenIfPending: evenIfPending))
                }
                let (plan, created) = outcome
                guard let created else {
                    Output.line("dry run — nothing sent. Would send:")
                    plan.summary.forEach { Output.line("  " + $0) }
                    Output.line("POST /api2/invoice/create " + String(decoding: plan.body(reference: .make()), as: UTF8.self))
                    Output.line("(each send makes its own operation reference)")
                    return
                }
                if json {
                    Output.json(
                        .object([
                            "invoice": JSONShapes.summary(created.invoice), "reconciled": .bool(created.reconciled),
                            "email_not_sent": .bool(created.emailNotSent), "reference": .string(created.reference.value),
                        ]))
                } else {
                    let how = created.reconciled ? " (confirmed on the store by its reference)" : ""
                    Output.line(
                        "created invoice \(created.invoice.incrementId) for order \(plan.orderNumber): "
                            + "\(created.invoice.grandTotal), \(created.invoice.state), ref \(created.reference)\(how)")
                }
                if created.emailNotSent {
                    Output.error(
                        "the invoice was created but its email was not sent — resend with: folio invoices email \(created.invoice.incrementId)"
                    )
                }
            }
        }

        /// `SKU=QTY` or `id=ITEM_ID=QTY` into quantities by item id.
        static func quantities(_ specs: [String], order: Order) throws(FolioError) -> [Int64: Decimal] {
            guard !specs.isEmpty else {
                return Dictionary(uniqueKeysWithValues: order.items.map { ($0.id, $0.qtyToInvoice) })
            }
            return try ItemSpecs.quantities(specs, in: "order \(order.incrementId)", items: order.items.map { ($0.id, $0.sku) })
        }
    }

    /// `folio invoices export`: every page of a listing, streamed.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Stream every invoice of a listing as CSV or JSON lines.",
            discussion: "Holds one page at a time. Progress goes to stderr when stderr is a terminal.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var filters: InvoicesCommand.Filters
        @Option(help: "CSV, or JSON lines.") var format: ExportFormat = .csv
        @Option(parsing: .unconditional, help: "Rows per request (1–200).") var pageSize = 200

        func validate() throws {
            guard (1...200).contains(pageSize) else { throw ValidationError("--page-size must be 1 to 200, not \(pageSize)") }
        }

        func run() async throws {
            try await reporting {
                var query: InvoiceQuery
                do throws(FolioError) { query = try filters.query() } catch { throw CLIFailure(error) }
                query.limit = pageSize
                let progress = isatty(STDERR_FILENO) == 1
                if format == .csv { StandardStreams.out(Output.csv(InvoiceCSV.header) + "\n") }
                try await connection.withClient { client, _ throws(FolioError) in
                    var written = 0
                    do {
                        for try await page in InvoicePages(client: client, query: query) {
                            var chunk = ""
                            for invoice in page.items {
                                chunk +=
                                    (format == .csv
                                        ? InvoiceCSV.row(invoice)
                                        : JSONShapes.summary(invoice).rendered()) + "\n"
                            }
                            StandardStreams.out(chunk)
                            if StandardStreams.readerGone { break }
                            written += page.items.count
                            if progress {
                                let of = page.total.map { " of \($0)" } ?? ""
                                StandardStreams.err("\rexported \(written)\(of)")
                            }
                        }
                    } catch let error as FolioError {
                        throw error
                    } catch {
                        throw .network(host: "", reason: String(describing: error))
                    }
                    if progress { StandardStreams.err("\n") }
                }
            }
        }
    }
}
