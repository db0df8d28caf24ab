/// The arithmetic of one credit memo, with no I/O: given its source as stored
/// (an invoice, or an order's invoices, with what was already refunded) and
/// what the request asks, what each line and total comes to, what the tallies
/// look like afterwards — or the refusal, with the reason.
///
/// Rules (README, "Credit memos"; the client previews with the same):
/// - An invoice line refunds cumulatively, as `InvoiceCalculator` invoices:
///   refunding q of a line of quantity Q with r already refunded gives, for
///   each amount A of the line (row total, tax, discount, in order and base
///   currency), `prorate(A, r + q, Q) − (what earlier credit memos took of A)`.
///   What they took is always `prorate(A, r, Q)`, so a line refunded in full
///   gives back exactly what it invoiced.
/// - An order source takes each item from its invoice lines oldest invoice
///   first, each line by the rule above; the item's line is their sum.
/// - Shipping likewise, over the shipping invoiced: with s refunded now and
///   S before, of an invoice's shipping I, its shipping tax is
///   `prorate(shippingTax, S + s, I) − (shipping tax refunded)`, and so are
///   base shipping and base shipping tax.
/// - Adjustments' base twins: `prorate(adjustment, base grand total, grand
///   total)` of the source (an order's: of its invoices).
/// - Grand total = subtotal − discount + tax (lines and shipping) + shipping
///   + adjustment positive − adjustment negative; in base currency alike. It is
///   never negative and never more than the source's grand total less what was
///   already refunded against it, in either currency.
enum CreditMemoCalculator {
    /// One invoice of the source, as stored.
    struct Invoice: Sendable {
        var row: InvoiceRow
        var lines: [InvoiceItemRow]
        var refunds: InvoiceRefundRow

        var id: Int64 { row.entityId ?? 0 }
        /// Grand total less what was refunded against it, in order and base currency.
        var moneyLeft: MinorUnits { row.grandTotal - refunds.totalRefunded }
        var baseMoneyLeft: MinorUnits { row.baseGrandTotal - refunds.baseTotalRefunded }
        var shippingLeft: MinorUnits { row.shippingAmount - refunds.shippingRefunded }
    }

    struct Source: Sendable {
        enum Kind: String, Sendable {
            case invoice, order
        }
        var kind: Kind
        var order: OrderRow
        /// The order's items, in item order.
        var items: [OrderItemRow]
        /// An invoice source: that invoice. An order source: the order's
        /// invoices but the canceled ones, oldest first.
        var invoices: [Invoice]
        var orderRefunds: OrderRefundRow

        /// `invoice 100000045` or `order 100000044`, for the refusals' details.
        var label: String {
            kind == .invoice ? "invoice \(invoices.first?.row.incrementId ?? "")" : "order \(order.incrementId)"
        }
    }

    /// What the request asks, amounts in minor units of the order currency.
    struct Asked: Sendable {
        /// nil: every refundable quantity; empty: none.
        var items: [CreateInvoiceRequest.RequestedItem]?
        /// nil: all the shipping left when `items` is nil too, else none.
        var shipping: MinorUnits?
        var adjustmentPositive: MinorUnits = 0
        var adjustmentNegative: MinorUnits = 0
    }

    struct Totals: Sendable, Equatable {
        var subtotal: MinorUnits = 0, baseSubtotal: MinorUnits = 0
        var taxAmount: MinorUnits = 0, baseTaxAmount: MinorUnits = 0
        var discountAmount: MinorUnits = 0, baseDiscountAmount: MinorUnits = 0
        var shippingAmount: MinorUnits = 0, baseShippingAmount: MinorUnits = 0
        var shippingTaxAmount: MinorUnits = 0, baseShippingTaxAmount: MinorUnits = 0
        var adjustmentPositive: MinorUnits = 0, baseAdjustmentPositive: MinorUnits = 0
        var adjustmentNegative: MinorUnits = 0, baseAdjustmentNegative: MinorUnits = 0
        var totalQty: Int64 = 0
        var grandTotal: MinorUnits {
            subtotal - discountAmount + taxAmount + shippingAmount + adjustmentPositive - adjustmentNegative
        }
        var baseGrandTotal: MinorUnits {
            baseSubtotal - baseDiscountAmount + baseTaxAmount + baseShippingAmount + baseAdjustmentPositive
                - baseAdjustmentNegative
        }
    }

    struct Result: Sendable {
        /// One per invoice line refunded (`creditmemoId` still 0), in the
        /// order's item order, oldest invoice first within an item.
        var lines: [CreditMemoItemRow]
        /// The invoice lines refunded, with their tallies after.
        var invoiceLines: [InvoiceItemRow]
        /// The tallies after, of every invoice the credit memo books anything on.
        var invoiceRefunds: [InvoiceRefundRow]
        /// The order items refunded, with their tallies after.
        var orderItems: [OrderItemRow]
        var orderRefunds: OrderRefundRow
        var totals: Totals
        /// The invoices it refunds (lines, shipping or money), oldest first;
        /// the first is the credit memo's invoice. Never empty.
        var invoices: [InvoiceRow]
    }

    static func creditMemo(_ source: Source, _ asked: Asked) throws -> Result {
        let currency = Currency.of(source.order.orderCurrencyCode)
        let base = Currency.of(source.order.baseCurrencyCode)
        func money(_ amount: MinorUnits) -> String { "\(currency.decimalText(amount)) \(currency.code)" }
        func baseMoney(_ amount: MinorUnits) -> String { "\(base.decimalText(amount)) \(base.code)" }

        guard let first = source.invoices.first else {
            throw APIError.cannotCreateCreditMemo("order \(source.order.incrementId) has no invoice to refund")
        }
        if source.kind == .invoice, first.row.state == 3 {
            throw APIError.cannotCreateCreditMemo("invoice \(first.row.incrementId) is canceled")
        }
        var invoices = source.invoices
        let invoiced = invoices.reduce(0) { $0 + $1.row.grandTotal }
        let baseInvoiced = invoices.reduce(0) { $0 + $1.row.baseGrandTotal }
        let refunded = source.kind == .invoice ? first.refunds.totalRefunded : source.orderRefunds.totalRefunded
        let baseRefunded = source.kind == .invoice ? first.refunds.baseTotalRefunded : source.orderRefunds.baseTotalRefunded
        let moneyLeft = invoiced - refunded
        let baseMoneyLeft = baseInvoiced - baseRefunded
        let shippingLeft = invoices.reduce(0) { $0 + max(0, $1.shippingLeft) }
        let anyQuantityLeft = invoices.contains { $0.lines.contains { $0.qtyToRefund > 0 } }
        guard anyQuantityLeft || shippingLeft > 0 || moneyLeft > 0 else {
            throw APIError.cannotCreateCreditMemo("everything invoiced on \(source.label) has been refunded")
        }

        // The quantity to refund of each invoice line, by its entity id.
        let quantities = try lineQuantities(source, asked.items)

        let shipping = asked.shipping ?? (asked.items == nil ? shippingLeft : 0)
        guard shipping <= shippingLeft else {
            throw APIError.invalidShippingAmount(
                "shipping_amount \(money(shipping)) requested, only \(money(shippingLeft)) left to refund on \(source.label)")
        }
        if quantities.isEmpty && shipping == 0 && asked.adjustmentPositive == 0 {
            throw APIError.cannotCreateCreditMemo(
                "nothing to refund on \(source.label): no item quantity, shipping_amount or adjustment_positive")
        }

        var totals = Totals()
        var lines: [CreditMemoItemRow] = []
        var orderItems: [OrderItemRow] = []
        // Per invoice: what its own lines and shipping come to, order and base currency.
        var parts = Array(repeating: (money: MinorUnits(0), base: MinorUnits(0)), count: invoices.count)
        var touched = Array(repeating: false, count: invoices.count)
        for var item in source.items {
            var refundedOfItem = false
            for i in invoices.indices {
                for j in invoices[i].lines.indices where invoices[i].lines[j].orderItemId == item.itemId {
                    guard let id = invoices[i].lines[j].entityId, let q = quantities[id], q > 0 else { continue }
                    var line = invoices[i].lines[j]
                    let after = line.qtyRefunded + q
                    func share(_ amount: MinorUnits, already: MinorUnits) -> MinorUnits {
                        prorate(amount, after, line.qty) - already
                    }
                    let part = CreditMemoItemRow(
                        entityId: nil, creditmemoId: 0, invoiceId: invoices[i].id, invoiceItemId: id,
                        orderItemId: item.itemId, sku: line.sku, name: line.name, qty: q,
                        price: line.price, basePrice: line.basePrice,
                        rowTotal: share(line.rowTotal, already: line.rowRefunded),
                        baseRowTotal: share(line.baseRowTotal, already: line.baseRowRefunded),
                        taxAmount: share(line.taxAmount, already: line.taxRefunded),
                        baseTaxAmount: share(line.baseTaxAmount, already: line.baseTaxRefunded),
                        discountAmount: share(line.discountAmount, already: line.discountRefunded),
                        baseDiscountAmount: share(line.baseDiscountAmount, already: line.baseDiscountRefunded))
                    line.qtyRefunded = after
                    line.rowRefunded += part.rowTotal
                    line.baseRowRefunded += part.baseRowTotal
                    line.taxRefunded += part.taxAmount
                    line.baseTaxRefunded += part.baseTaxAmount
                    line.discountRefunded += part.discountAmount
                    line.baseDiscountRefunded += part.baseDiscountAmount
                    invoices[i].lines[j] = line

                    item.qtyRefunded += q
                    item.rowRefunded += part.rowTotal
                    item.baseRowRefunded += part.baseRowTotal
                    item.taxRefunded += part.taxAmount
                    item.baseTaxRefunded += part.baseTaxAmount
                    item.discountRefunded += part.discountAmount
                    item.baseDiscountRefunded += part.baseDiscountAmount
                    refundedOfItem = true

                    totals.subtotal += part.rowTotal
                    totals.baseSubtotal += part.baseRowTotal
                    totals.taxAmount += part.taxAmount
                    totals.baseTaxAmount += part.baseTaxAmount
                    totals.discountAmount += part.discountAmount
                    totals.baseDiscountAmount += part.baseDiscountAmount
                    totals.totalQty += q
                    parts[i].money += part.rowTotal - part.discountAmount + part.taxAmount
                    parts[i].base += part.baseRowTotal - part.baseDiscountAmount + part.baseTaxAmount
                    touched[i] = true
                    lines.append(part)
                }
            }
            if refundedOfItem { orderItems.append(item) }
        }

        // Shipping, oldest invoice first (an order charges it on one invoice).
        var shippingToPlace = shipping
        for i in invoices.indices where shippingToPlace > 0 {
            let take = min(shippingToPlace, max(0, invoices[i].shippingLeft))
            guard take > 0 else { continue }
            let row = invoices[i].row
            var tally = invoices[i].refunds
            let after = tally.shippingRefunded + take
            let tax = prorate(row.shippingTaxAmount, after, row.shippingAmount) - tally.shippingTaxRefunded
            let baseShipping = prorate(row.baseShippingAmount, after, row.shippingAmount) - tally.baseShippingRefunded
            let baseTax = prorate(row.baseShippingTaxAmount, after, row.shippingAmount) - tally.baseShippingTaxRefunded
            tally.shippingRefunded = after
            tally.shippingTaxRefunded += tax
            tally.baseShippingRefunded += baseShipping
            tally.baseShippingTaxRefunded += baseTax
            invoices[i].refunds = tally
            totals.shippingAmount += take
            totals.baseShippingAmount += baseShipping
            totals.shippingTaxAmount += tax
            totals.baseShippingTaxAmount += baseTax
            totals.taxAmount += tax
            totals.baseTaxAmount += baseTax
            parts[i].money += take + tax
            parts[i].base += baseShipping + baseTax
            touched[i] = true
            shippingToPlace -= take
        }

        func baseAdjustment(_ amount: MinorUnits, _ name: String) throws -> MinorUnits {
            guard amount != 0 else { return 0 }
            guard invoiced > 0 else {
                throw APIError.invalidAdjustment("\(name): \(source.label) has a grand total of 0, nothing to adjust")
            }
            // An amount far past anything invoiced must not overflow on its way to the base currency.
            guard (Int128(amount) * Int128(baseInvoiced) / Int128(invoiced)).magnitude < UInt128(Int64.max / 4) else {
                throw APIError.invalidAdjustment("\(name) \(money(amount)) is more than \(source.label) could ever refund")
            }
            return prorate(amount, baseInvoiced, invoiced)
        }
        totals.adjustmentPositive = asked.adjustmentPositive
        totals.baseAdjustmentPositive = try baseAdjustment(asked.adjustmentPositive, "adjustment_positive")
        totals.adjustmentNegative = asked.adjustmentNegative
        totals.baseAdjustmentNegative = try baseAdjustment(asked.adjustmentNegative, "adjustment_negative")

        let total = totals.grandTotal
        let baseTotal = totals.baseGrandTotal
        guard total >= 0, baseTotal >= 0 else {
            throw APIError.invalidAdjustment(
                "the credit memo would come to \(money(total)) (\(baseMoney(baseTotal))): a credit memo is never negative")
        }
        guard total <= moneyLeft, baseTotal <= baseMoneyLeft else {
            throw APIError.invalidAdjustment(
                "the credit memo comes to \(money(total)) (\(baseMoney(baseTotal))), only \(money(moneyLeft)) "
                    + "(\(baseMoney(baseMoneyLeft))) is left to refund on \(source.label)")
        }

        // Book the money on the invoices: an invoice source takes it all; an
        // order source books each invoice its own lines and shipping, then
        // moves what does not fit, and the adjustments, oldest invoice first.
        let booked: [(money: MinorUnits, base: MinorUnits)]
        if source.kind == .invoice {
            booked = [(total, baseTotal)]
        } else {
            guard
                let bookedMoney = book(total, parts: parts.map { $0.money }, room: invoices.map(\.moneyLeft)),
                let bookedBase = book(baseTotal, parts: parts.map { $0.base }, room: invoices.map(\.baseMoneyLeft))
            else {
                throw APIError.invalidAdjustment(
                    "the credit memo comes to \(money(total)) (\(baseMoney(baseTotal))), more than the invoices of "
                        + "\(source.label) have left to refund")
            }
            booked = zip(bookedMoney, bookedBase).map { (money: $0, base: $1) }
        }
        var invoiceRefunds: [InvoiceRefundRow] = []
        var involved: [InvoiceRow] = []
        for i in invoices.indices where touched[i] || booked[i].money != 0 || booked[i].base != 0 {
            invoices[i].refunds.totalRefunded += booked[i].money
            invoices[i].refunds.baseTotalRefunded += booked[i].base
            invoiceRefunds.append(invoices[i].refunds)
            involved.append(invoices[i].row)
        }
        if involved.isEmpty { involved = [first.row] }

        var orderRefunds = source.orderRefunds
        orderRefunds.totalRefunded += total
        orderRefunds.baseTotalRefunded += baseTotal
        orderRefunds.subtotalRefunded += totals.subtotal
        orderRefunds.baseSubtotalRefunded += totals.baseSubtotal
        orderRefunds.taxRefunded += totals.taxAmount
        orderRefunds.baseTaxRefunded += totals.baseTaxAmount
        orderRefunds.discountRefunded += totals.discountAmount
        orderRefunds.baseDiscountRefunded += totals.baseDiscountAmount
        orderRefunds.shippingRefunded += totals.shippingAmount
        orderRefunds.baseShippingRefunded += totals.baseShippingAmount
        orderRefunds.shippingTaxRefunded += totals.shippingTaxAmount
        orderRefunds.baseShippingTaxRefunded += totals.baseShippingTaxAmount
        orderRefunds.adjustmentPositive += totals.adjustmentPositive
        orderRefunds.baseAdjustmentPositive += totals.baseAdjustmentPositive
        orderRefunds.adjustmentNegative += totals.adjustmentNegative
        orderRefunds.baseAdjustmentNegative += totals.baseAdjustmentNegative

        let refundedLines = Set(lines.map(\.invoiceItemId))
        return Result(
            lines: lines,
            invoiceLines: invoices.flatMap(\.lines).filter { $0.entityId.map(refundedLines.contains) ?? false },
            invoiceRefunds: invoiceRefunds, orderItems: orderItems, orderRefunds: orderRefunds, totals: totals,
            invoices: involved)
    }

    /// Resolves the requested items to quantities per invoice line (by the
    /// line's entity id), with the reason for any refusal.
    static func lineQuantities(_ source: Source, _ requested: [CreateInvoiceRequest.RequestedItem]?) throws -> [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        let lines = source.invoices.flatMap(\.lines)
        guard let requested else {
            for line in lines where line.qtyToRefund > 0 { result[line.entityId ?? 0] = line.qtyToRefund }
            return result
        }
        let itemsById = Dictionary(source.items.map { ($0.itemId, $0) }, uniquingKeysWith: { a, _ in a })
        var named: Set<Int64> = []
        for entry in requested {
            // The order item the entry names: among the invoice's lines for an
            // invoice source, among the order's items for an order source.
            let place = source.kind == .invoice ? source.label : "this order"
            let itemId =
                source.kind == .invoice
                ? try entry.reference.one(of: lines, id: \.orderItemId, sku: \.sku, in: place)?.orderItemId
                : try entry.reference.one(of: source.items, id: \.itemId, sku: \.sku, in: place)?.itemId
            let label = entry.reference.label
            guard let itemId else {
                throw APIError.invalidItem(
                    source.kind == .invoice
                        ? "\(label) is not an item of \(source.label)" : "\(label) is not an item of this order")
            }
            guard named.insert(itemId).inserted else { throw APIError.invalidItem("\(label) is named twice") }
            guard itemsById[itemId]?.isQtyDecimal == true || entry.qty.isWhole else {
                throw APIError.invalidItem("\(label): qty \(entry.qty) must be a whole number")
            }
            let itemLines = lines.filter { $0.orderItemId == itemId && $0.qtyToRefund > 0 }
            let left = itemLines.reduce(0) { $0 + $1.qtyToRefund }
            guard entry.qty.scaled <= left else {
                throw APIError.invalidItem(
                    "\(label): qty \(entry.qty) requested, only \(Quantity(scaled: left)) left to refund on \(source.label)")
            }
            // Oldest invoice first (the lines are in invoice order).
            var wanted = entry.qty.scaled
            for line in itemLines where wanted > 0 {
                let take = min(wanted, line.qtyToRefund)
                result[line.entityId ?? 0] = take
                wanted -= take
            }
        }
        return result
    }

    /// Splits `total` over invoices: each first takes its own `parts` (within
    /// its `room`, the money it has left), then what is still to place goes to
    /// (or, when negative, comes back from) the oldest invoices first. Nil when
    /// the invoices' room cannot hold it.
    static func book(_ total: MinorUnits, parts: [MinorUnits], room: [MinorUnits]) -> [MinorUnits]? {
        let room = room.map { max(0, $0) }
        var booked = zip(parts, room).map { part, room in min(max(part, 0), room) }
        var rest = total - booked.reduce(0, +)
        for i in booked.indices where rest != 0 {
            let move = rest > 0 ? min(rest, room[i] - booked[i]) : max(rest, -booked[i])
            booked[i] += move
            rest -= move
        }
        return rest == 0 ? booked : nil
    }
}
