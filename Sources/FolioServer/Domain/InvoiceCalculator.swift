/// The arithmetic of one invoice, with no I/O: given an order, its items and
/// the quantities to invoice, what each line and total comes to, and what the
/// order looks like afterwards.
///
/// Rules (contract): row totals, tax and discount are pro-rated per unit and
/// rounded cumulatively — a line's share is the item's amount for everything
/// invoiced up to and including it, rounded, less what earlier invoices took
/// (which is that same rounding of what they invoiced). So each line is within
/// one minor unit of its exact share, never negative for a non-negative amount,
/// and an order's invoices add up to the order exactly; rounding each share on
/// its own instead drifts, and a last invoice that absorbs the drift can come
/// out negative. Shipping goes whole on the first invoice of an order. Every
/// figure is computed twice, in order and in base currency, by the same rule.
enum InvoiceCalculator {
    struct Result {
        var lines: [InvoiceItemRow]
        var updatedItems: [OrderItemRow]
        var order: OrderRow
        var totals: Totals
    }

    struct Totals: Equatable {
        var subtotal: Int64 = 0, baseSubtotal: Int64 = 0
        var taxAmount: Int64 = 0, baseTaxAmount: Int64 = 0
        var discountAmount: Int64 = 0, baseDiscountAmount: Int64 = 0
        var shippingAmount: Int64 = 0, baseShippingAmount: Int64 = 0
        var shippingTaxAmount: Int64 = 0, baseShippingTaxAmount: Int64 = 0
        var totalQty: Int64 = 0
        var grandTotal: Int64 { subtotal - discountAmount + taxAmount + shippingAmount }
        var baseGrandTotal: Int64 { baseSubtotal - baseDiscountAmount + baseTaxAmount + baseShippingAmount }
    }

    /// - Precondition: every quantity is positive and within the item's `qtyToInvoice`
    ///   (checked by the caller, which owns the error messages).
    static func invoice(order: OrderRow, items: [OrderItemRow], quantities: [Int64: Quantity]) -> Result {
        var totals = Totals()
        var lines: [InvoiceItemRow] = []
        var updated: [OrderItemRow] = []
        for var item in items {
            guard let qty = quantities[item.itemId], qty.scaled > 0 else { continue }
            let invoicedAfter = item.qtyInvoiced + qty.scaled
            /// `already` is what earlier invoices of the item took: the rounded
            /// cumulative amount before this one, as it was actually charged.
            func share(_ amount: Int64, already: Int64) -> Int64 {
                prorate(amount, invoicedAfter, item.qtyOrdered) - already
            }
            let line = InvoiceItemRow(
                entityId: nil, invoiceId: 0, orderItemId: item.itemId, sku: item.sku, name: item.name,
                qty: qty.scaled, price: item.price, basePrice: item.basePrice,
                rowTotal: share(item.rowTotal, already: item.rowInvoiced),
                baseRowTotal: share(item.baseRowTotal, already: item.baseRowInvoiced),
                taxAmount: share(item.taxAmount, already: item.taxInvoiced),
                baseTaxAmount: share(item.baseTaxAmount, already: item.baseTaxInvoiced),
                discountAmount: share(item.discountAmount, already: item.discountInvoiced),
                baseDiscountAmount: share(item.baseDiscountAmount, already: item.baseDiscountInvoiced))
            item.qtyInvoiced += qty.scaled
            item.rowInvoiced += line.rowTotal
            item.baseRowInvoiced += line.baseRowTotal
            item.taxInvoiced += line.taxAmount
            item.baseTaxInvoiced += line.baseTaxAmount
            item.discountInvoiced += line.discountAmount
            item.baseDiscountInvoiced += line.baseDiscountAmount
            totals.subtotal += line.rowTotal
            totals.baseSubtotal += line.baseRowTotal
            totals.taxAmount += line.taxAmount
            totals.baseTaxAmount += line.baseTaxAmount
            totals.discountAmount += line.discountAmount
            totals.baseDiscountAmount += line.baseDiscountAmount
            totals.totalQty += qty.scaled
            lines.append(line)
            updated.append(item)
        }
        var order = order
        if !order.shippingInvoiced {
            totals.shippingAmount = order.shippingAmount
            totals.baseShippingAmount = order.baseShippingAmount
            totals.shippingTaxAmount = order.shippingTaxAmount
            totals.baseShippingTaxAmount = order.baseShippingTaxAmount
            totals.taxAmount += order.shippingTaxAmount
            totals.baseTaxAmount += order.baseShippingTaxAmount
            order.shippingInvoiced = true
        }
        let byId = Dictionary(uniqueKeysWithValues: updated.map { ($0.itemId, $0) })
        let after = items.map { byId[$0.itemId] ?? $0 }
        order.canInvoice = order.state != "canceled" && after.contains { $0.qtyToInvoice.scaled > 0 }
        if order.state == "new" || order.status == "pending" {
            order.state = "processing"
            order.status = "processing"
        }
        return Result(lines: lines, updatedItems: updated, order: order, totals: totals)
    }
}
