/// The admin family's invoice (`GET /api/admin/invoices/{id}`): camelCase,
/// string states, every total in order and base currency as a JSON number with
/// a `formatted*` twin, addresses and items — one call, everything.
enum AdminInvoiceJSON {
    static let statusLabels = [
        "pending": "Pending", "processing": "Processing", "complete": "Complete",
        "canceled": "Canceled", "holded": "On Hold", "closed": "Closed",
    ]

    /// 1 ↔ pending / pending_payment / overdue (kept in `payment_status`), 2 ↔ paid, 3 ↔ canceled.
    static func state(_ invoice: InvoiceRow) -> String {
        switch invoice.state {
        case 2: return "paid"
        case 3: return "canceled"
        default: return invoice.paymentStatus
        }
    }

    static func make(_ p: InvoiceWithOrder) -> JSON {
        let inv = p.invoice
        let currency = Currency.of(inv.orderCurrencyCode)
        let base = Currency.of(inv.baseCurrencyCode)
        let itemTax = p.items.reduce(0) { $0 + $1.taxAmount }
        let baseItemTax = p.items.reduce(0) { $0 + $1.baseTaxAmount }
        var fields: [(String, JSON)] = [
            ("id", .optional(inv.entityId)),
            ("incrementId", .string(inv.incrementId)),
            ("orderId", .int(inv.orderId)),
            ("orderIncrementId", .string(inv.orderIncrementId)),
            ("state", .string(p.isFullyRefunded ? "refunded" : state(inv))),
            ("emailSent", .bool(inv.emailSent)),
            ("totalQty", Quantity(scaled: inv.totalQty).json),
            ("orderCurrencyCode", .string(inv.orderCurrencyCode)),
            ("baseCurrencyCode", .string(inv.baseCurrencyCode)),
            ("channelCurrencyCode", .string(inv.orderCurrencyCode)),
        ]
        func total(_ name: String, _ amount: Int64, _ baseAmount: Int64) {
            let upper = name.prefix(1).uppercased() + name.dropFirst()
            fields += [
                (name, number(amount, currency)), ("formatted" + upper, .string(currency.formatted(amount))),
                ("base" + upper, number(baseAmount, base)), ("formattedBase" + upper, .string(base.formatted(baseAmount))),
            ]
        }
        total("subTotal", inv.subtotal, inv.baseSubtotal)
        total("subTotalInclTax", inv.subtotal + itemTax, inv.baseSubtotal + baseItemTax)
        total("grandTotal", inv.grandTotal, inv.baseGrandTotal)
        total("taxAmount", inv.taxAmount, inv.baseTaxAmount)
        total("discountAmount", inv.discountAmount, inv.baseDiscountAmount)
        total("shippingAmount", inv.shippingAmount, inv.baseShippingAmount)
        total(
            "shippingAmountInclTax", inv.shippingAmount + inv.shippingTaxAmount,
            inv.baseShippingAmount + inv.baseShippingTaxAmount)
        total("shippingTaxAmount", inv.shippingTaxAmount, inv.baseShippingTaxAmount)
        fields += refunds(p, currency, base)
        fields += [
            ("transactionId", .optional(inv.transactionId)),
            ("reminders", .int(inv.reminders)),
            ("nextReminderAt", .optional(inv.nextReminderAt)),
            ("createdAt", .string(inv.createdAt)),
            ("updatedAt", .string(inv.updatedAt)),
            ("orderStatus", .string(p.order.status)),
            ("orderStatusLabel", .string(statusLabels[p.order.status] ?? p.order.status.capitalized)),
            ("orderDate", .string(p.order.createdAt)),
            ("channelName", .string(p.order.channelName)),
            ("customerName", .string(p.order.customerName)),
            ("customerEmail", .string(p.order.customerEmail)),
            ("billingAddress", address(p.addresses.first { $0.addressType == "order_billing" })),
            ("shippingAddress", address(p.addresses.first { $0.addressType == "order_shipping" })),
            ("items", .array(p.items.map { item(($0), p.orderItems[$0.orderItemId], currency, base) })),
        ]
        return .object(fields)
    }

    /// An amount as a JSON number with the currency's minor digits: `123.45`, `1500`.
    static func number(_ amount: Int64, _ currency: Currency) -> JSON { .number(currency.decimalText(amount)) }

    static func address(_ a: AddressRow?) -> JSON {
        guard let a else { return .null }
        return .object([
            ("id", .optional(a.id)), ("addressType", .string(a.addressType)),
            ("firstName", .string(a.firstName)), ("lastName", .string(a.lastName)),
            ("companyName", .optional(a.companyName)), ("address", .string(a.street)),
            ("city", .string(a.city)), ("state", .optional(a.region)), ("country", .string(a.country)),
            ("postcode", .string(a.postcode)), ("email", .string(a.email)), ("phone", .optional(a.phone)),
        ])
    }

    static func item(_ line: InvoiceItemRow, _ orderItem: OrderItemRow?, _ currency: Currency, _ base: Currency) -> JSON {
        let baseUnitTax = line.qty == 0 ? 0 : prorate(line.baseTaxAmount, Quantity.scale, line.qty)
        let additional: JSON = orderItem?.additional.flatMap { try? JSON.parse($0) } ?? .null
        return .object(
            [
                ("id", .optional(line.entityId)),
                ("orderItemId", .int(line.orderItemId)),
                ("sku", .string(line.sku)),
                ("name", .string(line.name)),
                ("qty", Quantity(scaled: line.qty).json),
                ("price", number(line.price, currency)), ("formattedPrice", .string(currency.formatted(line.price))),
                ("basePrice", number(line.basePrice, base)),
                ("basePriceInclTax", number(line.basePrice + baseUnitTax, base)),
                ("total", number(line.rowTotal, currency)), ("formattedTotal", .string(currency.formatted(line.rowTotal))),
                ("baseTotal", number(line.baseRowTotal, base)),
                ("baseTotalInclTax", number(line.baseRowTotal + line.baseTaxAmount, base)),
                ("taxAmount", number(line.taxAmount, currency)),
                ("formattedTaxAmount", .string(currency.formatted(line.taxAmount))),
                ("discountAmount", number(line.discountAmount, currency)),
                ("formattedDiscountAmount", .string(currency.formatted(line.discountAmount))),
                ("productId", .optional(orderItem?.productId)),
                ("productType", .optional(orderItem?.productType)),
                ("baseImageUrl", .optional(orderItem?.baseImageUrl)),
                ("additional", additional),
            ] + refunded(line, base))
    }
}
