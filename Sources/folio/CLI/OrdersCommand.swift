import ArgumentParser
import FolioCLIOutput
import FolioCore

/// `folio orders show`: what an order has left to invoice.
struct OrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders", abstract: "Look at orders.",
        subcommands: [Show.self, History.self, Note.self])

    /// `folio orders note ORDER "text"`: an internal note, as a journaled write.
    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "note",
            abstract: "Add an internal note to an order's history: not shown to the customer, nobody is emailed.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The order number (increment id).") var number: String
        @Argument(help: "What to note, on one line.") var text: String
        @Flag(
            name: .customLong("even-if-pending"),
            help: "Add it even though the same note on this order is of unknown outcome.")
        var evenIfPending = false
        @Flag(help: "JSON for scripts.") var json = false

        func run() async throws {
            try await reporting {
                let note = try CLIFailure.checking { () throws(FolioError) in try NoteText.checked(text) }
                let added = try await connection.withClient { client, settings throws(FolioError) in
                    try await client.addNote(
                        orderNumber: number, text: note, journal: settings.journal, evenIfPending: evenIfPending)
                }
                if json {
                    return Output.json(
                        .object([
                            "entry": JSONShapes.historyEntry(added.entry), "reference": .string(added.reference.value),
                            "reconciled": .bool(added.reconciled),
                        ]))
                }
                Output.line(
                    "internal note added to order \(number), ref \(added.reference)"
                        + (added.reconciled ? " (found by its reference after the answer was lost)" : ""))
                if !added.isInternal {
                    Output.error("warning: the store shows this note to the customer (it did not keep it internal) — check the order")
                }
            }
        }
    }

    /// `folio orders history ORDER`: what happened to the order, newest first.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history", abstract: "An order's history, newest first: comments, status changes, invoices, emails.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The order number (increment id).") var number: String
        @Flag(help: "JSON for scripts.") var json = false

        func run() async throws {
            try await reporting {
                let entries = try await connection.withClient { client, _ throws(FolioError) in
                    try await client.history(orderNumber: number)
                }
                if json { return Output.json(JSONShapes.history(entries)) }
                if entries.isEmpty { return Output.line("order \(number) has no history yet") }
                Output.table(
                    ["WHEN", "BY", "SEEN BY", "STATUS", "COMMENT"],
                    entries.map { e in
                        [e.createdAt ?? "", e.source ?? "", HistoryWords.audience(e), e.status ?? "", e.comment ?? ""]
                    })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "An order's items: ordered, invoiced, canceled, refunded, remaining.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The order number (increment id).") var number: String
        @Flag(help: "JSON for scripts.") var json = false

        func run() async throws {
            try await reporting {
                let order = try await connection.withClient { client, _ throws(FolioError) in try await client.order(number: number) }
                if json { return Output.json(JSONShapes.order(order)) }
                Output.line(
                    "order \(order.incrementId)  \(order.status ?? "")  \(order.customerName ?? "")  "
                        + "\(order.paymentMethod ?? "")  \(order.grandTotal?.description ?? "")")
                Output.table(
                    ["ITEM", "SKU", "NAME", "ORDERED", "INVOICED", "CANCELED", "REFUNDED", "REMAINING", "PRICE"],
                    order.items.map { i in
                        [
                            String(i.id), i.sku, i.name, i.qtyOrdered.description, i.qtyInvoiced.description,
                            i.qtyCanceled.description, i.qtyRefunded.description, i.qtyToInvoice.description,
                            i.price?.description ?? "",
                        ]
                    }, rightAligned: [3, 4, 5, 6, 7, 8])
                if order.canInvoice == false { Output.line("nothing left to invoice") }
            }
        }
    }
}
