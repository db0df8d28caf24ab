import Foundation

/// A create request that has been checked against the order before sending:
/// every quantity between 0 and what remains, whole unless the item allows
/// fractions, at least one item, and the order named one way only. When every
/// remaining quantity is chosen, the items are left out: a full capture.
public struct CapturePlan: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let itemId: Int64
        public let sku: String
        public let name: String
        public let qty: Decimal
    }

    public let orderNumber: String
    public let orderId: Int64
    /// nil: invoice every remaining quantity.
    public let lines: [Line]?
    public let capture: CaptureMode
    public let sendEmail: Bool
    public let comment: String?
    /// What the plan invoices, item by item (also for a full capture), for reviews and reconciliation.
    public let quantities: [Int64: Decimal]

    /// Builds and checks a plan; `quantities` by order item id (items not named invoice 0).
    public init(
        order: Order, quantities: [Int64: Decimal], capture: CaptureMode = .offline,
        sendEmail: Bool = false, comment: String? = nil
    ) throws(FolioError) {
        for id in quantities.keys where !order.items.contains(where: { $0.id == id }) {
            throw .invalidInput("item \(id) is not an item of order \(order.incrementId)")
        }
        var chosen: [Line] = []
        var everythingLeft = true
        for item in order.items {
            let qty = quantities[item.id] ?? 0
            if let problem = Self.problem(qty, for: item) { throw .invalidInput(problem) }
            if qty > 0 { chosen.append(Line(itemId: item.id, sku: item.sku, name: item.name, qty: qty)) }
            if item.qtyToInvoice > 0 && qty != item.qtyToInvoice { everythingLeft = false }
        }
        guard !chosen.isEmpty else {
            throw .invalidInput(
                order.items.contains { $0.qtyToInvoice > 0 }
                    ? "choose at least one item to invoice" : "order \(order.incrementId) has nothing left to invoice")
        }
        orderNumber = order.incrementId
        orderId = order.id
        lines = everythingLeft ? nil : chosen
        self.capture = capture
        self.sendEmail = sendEmail
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let trimmed, trimmed.count > OperationReference.commentRoom {
            throw .invalidInput(
                "the comment is too long: at most \(OperationReference.commentRoom) characters (Folio adds the operation reference)")
        }
        self.comment = trimmed?.isEmpty == false ? trimmed : nil
        self.quantities = Dictionary(uniqueKeysWithValues: chosen.map { ($0.itemId, $0.qty) })
    }

    /// Why `qty` cannot be invoiced for `item`, in the words a clerk needs; nil when it can.
    public static func problem(_ qty: Decimal, for item: OrderItem) -> String? {
        QuantityRule.problem(qty, sku: item.sku, left: item.qtyToInvoice, decimal: item.isQtyDecimal, verb: "invoice")
    }

    /// The `POST /api2/invoice/create` body, its comment marked with the
    /// write's reference so that the invoice can be found by it on any store.
    /// The items are always named, a full capture's too: the store invoices
    /// what the clerk reviewed, not whatever remains when the request lands.
    public func body(reference: OperationReference) -> Data {
        let items = quantities.keys.sorted().map { id in
            ["order_item_id": id, "qty": NSDecimalNumber(decimal: quantities[id]!)] as [String: Any]
        }
        let object: [String: Any] = [
            "order_increment_id": orderNumber, "capture": capture.rawValue,
            "send_email": sendEmail, "comment": reference.marked(comment), "items": items,
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// What the journal keeps of this plan.
    func intent(profile: String, body: Data) -> JournalEntry.Intent {
        JournalEntry.Intent(
            kind: .invoiceCreate, profile: profile, orderNumber: orderNumber,
            quantities: Dictionary(uniqueKeysWithValues: quantities.map { (String($0.key), "\($0.value)") }),
            summary: summary, body: String(decoding: body, as: UTF8.self))
    }

    /// What will be sent, in words: the review screen and `--dry-run`.
    public var summary: [String] {
        var text = ["order \(orderNumber)"]
        if let lines {
            text += lines.map { "  \($0.sku)  \($0.name)  × \($0.qty)" }
        } else {
            text.append("  all remaining items (full capture)")
        }
        text.append("capture: \(capture.rawValue)")
        text.append("email the customer: \(sendEmail ? "yes" : "no")")
        text.append("comment: \(comment ?? "(none)")")
        return text
    }
}
