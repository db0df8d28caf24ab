import ArgumentParser
import FolioCLIOutput
import FolioCore
import Foundation

/// `folio creditmemos create`: refunds from an invoice, checked against it
/// before anything is sent, previewed to the cent as the store will book it.
struct CreditMemosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creditmemos", abstract: "Refund from an invoice (credit memos).", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Refund items, shipping or an amount from an invoice.",
            discussion: """
                --item SKU=QTY or id=ITEM_ID=QTY picks what to refund; without --item and without \
                --shipping/--adjustment-positive everything left to refund is refunded (lines and shipping). \
                Quantities, shipping and amounts are checked against what is left before anything is sent, and \
                the total is previewed exactly as the store computes it. Offline (recorded only) unless \
                --online, which asks the payment method to send the money back. Journaled before it is sent, \
                with an operation reference; exit codes as for `invoices create` (7: outcome unknown — see \
                `folio journal`).
                """)
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The invoice number (increment id).") var invoice: String
        @Option(name: .customLong("item"), help: "SKU=QTY or id=ITEM_ID=QTY (repeatable).") var items: [String] = []
        @Option(help: "Shipping to refund, in the order currency.") var shipping: String?
        @Option(name: .customLong("adjustment-positive"), help: "Extra credit to the customer.") var plus: String?
        @Option(name: .customLong("adjustment-negative"), help: "A fee subtracted from the refund.") var minus: String?
        @Flag(exclusivity: .exclusive, help: "Offline records the refund (the default); online moves money back.")
        var refundType: RefundType = .offline
        @Flag(help: "Email the credit memo to the customer.") var email = false
        @Option(help: "A comment for the audit trail.") var comment: String?
        @Flag(name: .customLong("dry-run"), help: "Print the preview and the request; send nothing.") var dryRun = false
        @Flag(help: "JSON for scripts.") var json = false
        @Flag(
            name: .customLong("even-if-pending"),
            help: "Send even though an earlier refund from this invoice is of unknown outcome (check the order first).")
        var evenIfPending = false

        func run() async throws {
            try await reporting {
                let outcome: (RefundPlan, CreatedCreditMemo?) = try await connection.withClient { client, settings throws(FolioError) in
                    let plan = try self.plan(try await client.refundSource(invoiceNumber: invoice))
                    if dryRun { return (plan, nil) }
                    return (plan, try await client.createCreditMemo(plan, journal: settings.journal, evenIfPending: evenIfPending))
                }
                let (plan, created) = outcome
                guard let created else {
                    if json { return Output.json(Self.preview(plan, created: nil)) }
                    Output.line("dry run — nothing sent. Would send:")
                    plan.summary.forEach { Output.line("  " + $0) }
                    Output.line("POST /api2/creditmemo " + String(decoding: plan.body(reference: .make()), as: UTF8.self))
                    Output.line("(each send makes its own operation reference)")
                    return
                }
                if json { return Output.json(Self.preview(plan, created: created)) }
                let currency = plan.source.currency
                if let memo = created.memo {
                    Output.line(
                        "credit memo \(created.number) from invoice \(plan.source.invoiceNumber): refunded \(Money(memo.grandTotal.order, currency)) \(plan.refundType.rawValue), ref \(created.reference)"
                    )
                    if memo.grandTotal != plan.preview.grandTotal {
                        Output.error(
                            "warning: the store booked \(Money(memo.grandTotal.order, currency)), the preview said \(Money(plan.preview.grandTotal.order, currency)) — the store's figure stands"
                        )
                    }
                } else {
                    Output.line(
                        "credit memo \(created.number) from invoice \(plan.source.invoiceNumber), ref \(created.reference) (found on the store by its reference after the answer was lost; previewed at \(Money(plan.preview.grandTotal.order, currency)) — the store's own figure is in the order's history)"
                    )
                }
            }
        }

        /// The plan the flags describe; without any, everything left (lines and shipping).
        func plan(_ source: RefundSource) throws(FolioError) -> RefundPlan {
            let everything = items.isEmpty && shipping == nil && plus == nil
            let quantities =
                everything
                ? Dictionary(uniqueKeysWithValues: source.lines.map { ($0.orderItemId, $0.refundable) })
                : try Self.quantities(items, source: source)
            return try RefundPlan(
                source: source, quantities: quantities,
                shipping: everything ? source.refundableShipping : try Self.amount(shipping, "--shipping"),
                adjustmentPositive: try Self.amount(plus, "--adjustment-positive"),
                adjustmentNegative: try Self.amount(minus, "--adjustment-negative"), refundType: refundType, sendEmail: email,
                comment: comment)
        }

        /// The preview for scripts: amounts as exact decimal strings, with their currencies.
        static func preview(_ plan: RefundPlan, created: CreatedCreditMemo?) -> JSONText {
            let p = plan.preview
            func pair(_ value: CurrencyPair) -> JSONText {
                .object([
                    "amount": .string(Money(value.order, plan.source.currency).plain), "currency": .string(plan.source.currency),
                    "base_amount": .string(Money(value.base, plan.source.baseCurrency).plain),
                    "base_currency": .string(plan.source.baseCurrency),
                ])
            }
            return .object([
                "creditmemo": created.map { .string($0.number) } ?? .null,
                "reference": created.map { .string($0.reference.value) } ?? .null,
                "reconciled": created.map { .bool($0.reconciled) } ?? .null,
                "booked_grand_total": created?.memo.map { pair($0.grandTotal) } ?? .null,
                "invoice": .string(plan.source.invoiceNumber), "refund_type": .string(plan.refundType.rawValue),
                "items": .array(
                    p.lines.map { l in
                        .object(["sku": .string(l.sku), "qty": .string("\(l.qty)"), "row_total": pair(l.rowTotal), "tax": pair(l.tax)])
                    }),
                "subtotal": pair(p.subtotal), "tax": pair(p.tax), "discount": pair(p.discount), "shipping": pair(p.shipping),
                "adjustment_positive": pair(p.adjustmentPositive), "adjustment_negative": pair(p.adjustmentNegative),
                "grand_total": pair(p.grandTotal),
            ])
        }

        static func amount(_ text: String?, _ flag: String) throws(FolioError) -> Decimal {
            guard let text else { return 0 }
            guard let value = Decimal(exactly: text.trimmingCharacters(in: .whitespaces)) else {
                throw .invalidInput("\(flag) takes an amount like 4.95, not \(text)")
            }
            return value
        }

        /// `SKU=QTY` or `id=ITEM_ID=QTY` into quantities by order item id.
        static func quantities(_ specs: [String], source: RefundSource) throws(FolioError) -> [Int64: Decimal] {
            try ItemSpecs.quantities(
                specs, in: "invoice \(source.invoiceNumber)", items: source.lines.map { ($0.orderItemId, $0.sku) })
        }
    }
}

extension RefundType: EnumerableFlag {}
