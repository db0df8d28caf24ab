import GRDB

/// What was refunded, as the invoice and order look-ups show it (Folio
/// extensions: the vendor's documents say only that they show it).
extension Api2JSON {
    /// An invoice line's refunds and the base twins the preview of a credit memo needs.
    static func refunded(_ line: InvoiceItemRow, _ currency: Currency, _ base: Currency) -> [(String, JSON)] {
        [
            ("base_tax_amount", money(line.baseTaxAmount, base)),
            ("base_discount_amount", money(line.baseDiscountAmount, base)),
            ("qty_refunded", Quantity(scaled: line.qtyRefunded).json),
            ("amount_refunded", money(line.rowRefunded, currency)),
            ("base_amount_refunded", money(line.baseRowRefunded, base)),
            ("tax_refunded", money(line.taxRefunded, currency)),
            ("base_tax_refunded", money(line.baseTaxRefunded, base)),
            ("discount_refunded", money(line.discountRefunded, currency)),
            ("base_discount_refunded", money(line.baseDiscountRefunded, base)),
        ]
    }

    /// An order item's refunds (its `qty_refunded` is in the vendor's shape already).
    static func refunded(_ item: OrderItemRow, _ currency: Currency, _ base: Currency) -> [(String, JSON)] {
        [
            ("base_row_total", money(item.baseRowTotal, base)),
            ("base_tax_amount", money(item.baseTaxAmount, base)),
            ("base_discount_amount", money(item.baseDiscountAmount, base)),
            ("amount_refunded", money(item.rowRefunded, currency)),
            ("base_amount_refunded", money(item.baseRowRefunded, base)),
            ("tax_refunded", money(item.taxRefunded, currency)),
            ("base_tax_refunded", money(item.baseTaxRefunded, base)),
            ("discount_refunded", money(item.discountRefunded, currency)),
            ("base_discount_refunded", money(item.baseDiscountRefunded, base)),
        ]
    }

    /// What was refunded against an invoice.
    static func refunds(_ detail: InvoiceDetail) -> [(String, JSON)] {
        let row = detail.invoice
        let currency = Currency.of(row.orderCurrencyCode)
        let base = Currency.of(row.baseCurrencyCode)
        let refunds = detail.refunds ?? InvoiceRefundRow(invoiceId: row.entityId ?? 0)
        return [
            ("total_refunded", money(refunds.totalRefunded, currency)),
            ("base_total_refunded", money(refunds.baseTotalRefunded, base)),
            ("shipping_refunded", money(refunds.shippingRefunded, currency)),
            ("base_shipping_refunded", money(refunds.baseShippingRefunded, base)),
            ("shipping_tax_refunded", money(refunds.shippingTaxRefunded, currency)),
            ("base_shipping_tax_refunded", money(refunds.baseShippingTaxRefunded, base)),
        ]
    }

    /// What was invoiced (its invoices but the canceled ones) and refunded on an order.
    static func refunds(_ order: OrderRefunds, _ currency: Currency, _ base: Currency) -> [(String, JSON)] {
        let r = order.refunds
        return [
            ("total_invoiced", money(order.invoiced, currency)),
            ("base_total_invoiced", money(order.baseInvoiced, base)),
            ("total_refunded", money(r.totalRefunded, currency)),
            ("base_total_refunded", money(r.baseTotalRefunded, base)),
            ("subtotal_refunded", money(r.subtotalRefunded, currency)),
            ("base_subtotal_refunded", money(r.baseSubtotalRefunded, base)),
            ("tax_refunded", money(r.taxRefunded, currency)),
            ("base_tax_refunded", money(r.baseTaxRefunded, base)),
            ("discount_refunded", money(r.discountRefunded, currency)),
            ("base_discount_refunded", money(r.baseDiscountRefunded, base)),
            ("shipping_refunded", money(r.shippingRefunded, currency)),
            ("base_shipping_refunded", money(r.baseShippingRefunded, base)),
            ("shipping_tax_refunded", money(r.shippingTaxRefunded, currency)),
            ("base_shipping_tax_refunded", money(r.baseShippingTaxRefunded, base)),
            ("adjustment_positive", money(r.adjustmentPositive, currency)),
            ("base_adjustment_positive", money(r.baseAdjustmentPositive, base)),
            ("adjustment_negative", money(r.adjustmentNegative, currency)),
            ("base_adjustment_negative", money(r.baseAdjustmentNegative, base)),
        ]
    }
}

/// An order's refund tallies and what it invoiced, for its look-up.
struct OrderRefunds: Sendable {
    var refunds: OrderRefundRow
    /// The grand totals of its invoices but the canceled ones, order and base currency.
    var invoiced: MinorUnits
    var baseInvoiced: MinorUnits
}

extension InvoiceWithOrder {
    /// Nothing of it is left to refund: every line and all its shipping
    /// refunded, or all its money. The admin detail then says `refunded`.
    var isFullyRefunded: Bool {
        guard let refunds else { return false }
        let goods = items.allSatisfy { $0.qtyRefunded >= $0.qty } && refunds.shippingRefunded >= invoice.shippingAmount
        let money = refunds.totalRefunded > 0 && refunds.totalRefunded >= invoice.grandTotal
        return goods || money
    }
}

extension AdminInvoiceJSON {
    /// The admin family's figures of what was refunded, as its totals are written.
    static func refunds(_ p: InvoiceWithOrder, _ currency: Currency, _ base: Currency) -> [(String, JSON)] {
        let r = p.refunds ?? InvoiceRefundRow(invoiceId: p.invoice.entityId ?? 0)
        func total(_ name: String, _ amount: MinorUnits, _ baseAmount: MinorUnits) -> [(String, JSON)] {
            let upper = name.prefix(1).uppercased() + name.dropFirst()
            return [
                (name, number(amount, currency)), ("formatted" + upper, .string(currency.formatted(amount))),
                ("base" + upper, number(baseAmount, base)), ("formattedBase" + upper, .string(base.formatted(baseAmount))),
            ]
        }
        return total("totalRefunded", r.totalRefunded, r.baseTotalRefunded)
            + total("shippingRefunded", r.shippingRefunded, r.baseShippingRefunded)
    }

    /// An invoice line's refunded quantity and the base twins of its tax and discount.
    static func refunded(_ line: InvoiceItemRow, _ base: Currency) -> [(String, JSON)] {
        [
            ("qtyRefunded", Quantity(scaled: line.qtyRefunded).json),
            ("baseTaxAmount", number(line.baseTaxAmount, base)),
            ("baseDiscountAmount", number(line.baseDiscountAmount, base)),
        ]
    }
}
