import Foundation

/// A credit memo as the store answered it (`{"creditmemo": {…}}`).
public struct CreditMemo: Sendable, Equatable {
    public let id: Int64
    public let incrementId: String
    public let invoiceId: Int64?
    public let orderIncrementId: String?
    public let refundType: String?
    public let currency: String
    public let baseCurrency: String
    /// Quantities by order item id.
    public let quantities: [Int64: Decimal]
    public let subtotal: CurrencyPair
    public let tax: CurrencyPair
    public let discount: CurrencyPair
    public let shipping: CurrencyPair
    public let adjustmentPositive: CurrencyPair
    public let adjustmentNegative: CurrencyPair
    public let grandTotal: CurrencyPair
    public let emailSent: Bool?
    public let comments: [String]
}

extension CreditMemo: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        func pair(_ name: String) throws -> CurrencyPair { CurrencyPair(try c.decimal(name) ?? 0, try c.decimal("base_" + name) ?? 0) }
        id = try c.required(try c.integer("entity_id", "id"), "entity_id")
        incrementId = try c.required(try c.text("increment_id"), "increment_id")
        invoiceId = try c.integer("invoice_id")
        orderIncrementId = try c.text("order_increment_id")
        refundType = try c.text("refund_type")
        currency = try c.text("order_currency_code") ?? ""
        baseCurrency = try c.text("base_currency_code") ?? currency
        subtotal = try pair("subtotal")
        tax = try pair("tax_amount")
        discount = try pair("discount_amount")
        shipping = try pair("shipping_amount")
        adjustmentPositive = try pair("adjustment_positive")
        adjustmentNegative = try pair("adjustment_negative")
        grandTotal = try pair("grand_total")
        emailSent = try c.flag("email_sent")
        var quantities: [Int64: Decimal] = [:]
        if var items = try? c.nestedUnkeyedContainer(forKey: AnyKey("items")) {
            while !items.isAtEnd {
                let i = try items.nestedContainer(keyedBy: AnyKey.self)
                if let id = try i.integer("order_item_id") { quantities[id, default: 0] += try i.decimal("qty") ?? 0 }
            }
        }
        self.quantities = quantities
        var comments: [String] = []
        if var list = try? c.nestedUnkeyedContainer(forKey: AnyKey("comments")) {
            while !list.isAtEnd {
                let one = try list.nestedContainer(keyedBy: AnyKey.self)
                if let text = try one.text("comment") { comments.append(text) }
            }
        }
        self.comments = comments
    }
}

/// A refund that is known to be done.
public struct CreatedCreditMemo: Sendable, Equatable {
    /// nil when the answer was lost and the memo was found in the order's history (its number is in `number`).
    public let memo: CreditMemo?
    public let number: String
    public let reference: OperationReference
    public let reconciled: Bool
}

extension APIClient {
    /// Refunds from an invoice, never twice, never claiming what it cannot
    /// prove: journaled before it is sent, with the operation reference as
    /// its `Idempotency-Key` and in its comment. The vendor's API cannot
    /// list credit memos, so a lost answer is settled by the order's
    /// history, where the store records each credit memo with its comment.
    public func createCreditMemo(
        _ plan: RefundPlan, journal: WriteJournal, evenIfPending: Bool = false, reference: OperationReference = .make()
    ) async throws(FolioError) -> CreatedCreditMemo {
        let body = plan.body(reference: reference)
        let intent = JournalEntry.Intent(
            kind: .creditMemo, profile: settings.profile, orderNumber: plan.source.orderNumber, invoiceId: plan.source.invoiceId,
            invoiceNumber: plan.source.invoiceNumber,
            quantities: Dictionary(uniqueKeysWithValues: plan.quantities.map { (String($0.key), "\($0.value)") }),
            summary: plan.summary, body: String(decoding: body, as: UTF8.self))
        let (created, _) = try await journaledWrite(
            intent, path: "/api2/creditmemo", body: body, reference: reference, journal: journal, evenIfPending: evenIfPending,
            documentedRefusals: ["Payment gateway error"],
            read: { data throws(FolioError) in
                let memo = try Self.verify(data, answers: plan, reference: reference)
                return (
                    CreatedCreditMemo(memo: memo, number: memo.incrementId, reference: reference, reconciled: false),
                    "credit memo \(memo.incrementId)", .init(id: plan.source.invoiceId, number: plan.source.invoiceNumber)
                )
            },
            whenFound: { found in
                found.creditMemo.map { CreatedCreditMemo(memo: nil, number: $0, reference: reference, reconciled: true) }
            })
        return created
    }

    /// A 2xx is this refund's answer only if it is one: a credit memo of the
    /// plan's invoice carrying this write's marker, with the plan's lines.
    static func verify(_ data: Data, answers plan: RefundPlan, reference: OperationReference) throws(FolioError) -> CreditMemo {
        struct Envelope: Decodable { let creditmemo: CreditMemo }
        let memo = try decode(Envelope.self, data).creditmemo
        guard memo.invoiceId == plan.source.invoiceId else {
            throw .malformedResponse(field: "creditmemo.invoice_id", reason: "not invoice \(plan.source.invoiceId)")
        }
        guard memo.comments.contains(where: { OperationReference.marking($0) == reference }) else {
            throw .malformedResponse(field: "creditmemo.comments", reason: "no comment carries ref \(reference)")
        }
        guard memo.quantities.filter({ $0.value != 0 }) == plan.quantities else {
            throw .malformedResponse(field: "creditmemo.items", reason: "the lines differ from the plan")
        }
        return memo
    }

    /// Whether `text` is the store's line for a credit memo of `invoice` (that
    /// number exactly, not one it begins) with `reference` where the comment begins.
    static func creditMemoLine(_ text: String, invoice: String, carries reference: OperationReference) -> Bool {
        guard text.hasPrefix("Credit memo "), text.contains(" for invoice \(invoice): "),
            let at = text.range(of: ": " + reference.marker)
        else { return false }
        return OperationReference.marking(String(text[text.index(at.lowerBound, offsetBy: 2)...])) == reference
    }

    /// A credit memo is found by its marker in the order's history, where
    /// the store records each one ("Credit memo N for invoice M: …: [folio-op R] …").
    func findCreditMemo(_ entry: JournalEntry) async throws(FolioError) -> Finding {
        guard let order = entry.intent.orderNumber else { return .unclear(reason: "the journal does not name the order") }
        let invoice = entry.intent.invoiceNumber ?? "?"
        // Only the store's own line for a credit memo of this invoice, the marker
        // where the comment begins: "Credit memo N for invoice M: … : [folio-op R] …".
        let carrying = try await history(orderNumber: order).filter { e in
            e.source == "creditmemo" && Self.creditMemoLine(e.comment ?? "", invoice: invoice, carries: entry.reference)
        }
        guard let ours = carrying.first, let comment = ours.comment else {
            return .absent(reason: "the history of order \(order) shows no credit memo with ref \(entry.reference) yet")
        }
        guard carrying.count == 1 else {
            return .unclear(reason: "\(carrying.count) credit memos of order \(order) carry ref \(entry.reference) — check the order")
        }
        let words = comment.split(separator: " ")
        guard words.count > 2, words[0] == "Credit", words[1] == "memo" else {
            return .unclear(reason: "order \(order)'s history names ref \(entry.reference) in words Folio cannot read — check the order")
        }
        var found = Found(detail: "credit memo \(words[2])", note: ours)
        found.creditMemo = String(words[2])
        return .found(found)
    }
}
