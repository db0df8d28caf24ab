/// The `/api2` family's shapes: snake_case, numeric states, and money as
/// Magento sends it — decimal strings with four places (`"123.4500"`).
enum Api2JSON {
    static func money(_ amount: Int64, _ currency: Currency) -> JSON {
        .string(currency.decimalText(amount, fractionDigits: 4))
    }

    static func invoiceSummary(_ row: InvoiceRow) -> [(String, JSON)] {
        let currency = Currency.of(row.orderCurrencyCode)
        let base = Currency.of(row.baseCurrencyCode)
        return [
            ("entity_id", .optional(row.entityId)),
            ("increment_id", .string(row.incrementId)),
            ("order_id", .int(row.orderId)),
            ("order_increment_id", .string(row.orderIncrementId)),
            ("state", .int(row.state)),
            ("grand_total", money(row.grandTotal, currency)),
            ("base_grand_total", money(row.baseGrandTotal, base)),
            ("subtotal", money(row.subtotal, currency)),
            ("tax_amount", money(row.taxAmount, currency)),
            ("shipping_amount", money(row.shippingAmount, currency)),
            ("discount_amount", money(row.discountAmount, currency)),
            ("order_currency_code", .string(row.orderCurrencyCode)),
            ("base_currency_code", .string(row.baseCurrencyCode)),
            ("total_qty", Quantity(scaled: row.totalQty).json),
            ("email_sent", .int(row.emailSent ? 1 : 0)),
            ("billing_name", .string(row.billingName)),
            ("customer_email", .string(row.customerEmail)),
            ("created_at", .string(row.createdAt)),
            ("updated_at", .string(row.updatedAt)),
        ]
    }

    /// The looked-up shape: the listed fields, the base-currency twins, items and comments.
    static func invoiceDetail(_ detail: InvoiceDetail) -> JSON {
        let (row, items, comments) = (detail.invoice, detail.items, detail.comments)
        let currency = Currency.of(row.orderCurrencyCode)
        let base = Currency.of(row.baseCurrencyCode)
        var fields = invoiceSummary(row)
        fields += [
            ("base_subtotal", money(row.baseSubtotal, base)),
            ("base_tax_amount", money(row.baseTaxAmount, base)),
            ("base_shipping_amount", money(row.baseShippingAmount, base)),
            ("base_discount_amount", money(row.baseDiscountAmount, base)),
            ("shipping_tax_amount", money(row.shippingTaxAmount, currency)),
            ("base_shipping_tax_amount", money(row.baseShippingTaxAmount, base)),
            ("capture_mode", .string(row.captureMode)),
            ("transaction_id", .optional(row.transactionId)),
            (
                "items",
                .array(
                    items.map { item in
                        .object(
                            [
                                ("entity_id", .optional(item.entityId)),
                                ("order_item_id", .int(item.orderItemId)),
                                ("sku", .string(item.sku)),
                                ("name", .string(item.name)),
                                ("qty", Quantity(scaled: item.qty).json),
                                ("price", money(item.price, currency)),
                                ("base_price", money(item.basePrice, base)),
                                ("tax_amount", money(item.taxAmount, currency)),
                                ("discount_amount", money(item.discountAmount, currency)),
                                ("row_total", money(item.rowTotal, currency)),
                                ("base_row_total", money(item.baseRowTotal, base)),
                            ] + refunded(item, currency, base))
                    })
            ),
            (
                "comments",
                .array(
                    comments.map { comment in
                        .object([
                            ("entity_id", .optional(comment.id)),
                            ("comment", .string(comment.comment)),
                            ("is_customer_notified", .int(comment.isCustomerNotified ? 1 : 0)),
                            ("created_at", .string(comment.createdAt)),
                        ])
                    })
            ),
        ]
        fields += refunds(detail)
        return .object(fields)
    }

    static func orderSummary(_ order: OrderRow) -> [(String, JSON)] {
        let currency = Currency.of(order.orderCurrencyCode)
        let base = Currency.of(order.baseCurrencyCode)
        return [
            ("entity_id", .int(order.entityId)),
            ("increment_id", .string(order.incrementId)),
            ("status", .string(order.status)),
            ("state", .string(order.state)),
            ("created_at", .string(order.createdAt)),
            ("customer_name", .string(order.customerName)),
            ("customer_email", .string(order.customerEmail)),
            ("order_currency_code", .string(order.orderCurrencyCode)),
            ("base_currency_code", .string(order.baseCurrencyCode)),
            ("payment_method", .string(order.paymentMethod)),
            ("can_invoice", .bool(order.canInvoice)),
            ("grand_total", money(order.grandTotal, currency)),
            ("base_grand_total", money(order.baseGrandTotal, base)),
        ]
    }

    static func orderDetail(_ order: OrderRow, items: [OrderItemRow], refunds: OrderRefunds? = nil) -> JSON {
        let currency = Currency.of(order.orderCurrencyCode)
        let base = Currency.of(order.baseCurrencyCode)
        return .object(
            orderSummary(order) + [
                ("subtotal", money(order.subtotal, currency)),
                ("tax_amount", money(order.taxAmount, currency)),
                ("discount_amount", money(order.discountAmount, currency)),
                ("shipping_amount", money(order.shippingAmount, currency)),
                (
                    "items",
                    .array(
                        items.map { item in
                            .object(
                                [
                                    ("item_id", .int(item.itemId)),
                                    ("sku", .string(item.sku)),
                                    ("name", .string(item.name)),
                                    ("product_type", .string(item.productType)),
                                    ("is_qty_decimal", .bool(item.isQtyDecimal)),
                                    ("qty_ordered", Quantity(scaled: item.qtyOrdered).json),
                                    ("qty_invoiced", Quantity(scaled: item.qtyInvoiced).json),
                                    ("qty_canceled", Quantity(scaled: item.qtyCanceled).json),
                                    ("qty_refunded", Quantity(scaled: item.qtyRefunded).json),
                                    ("qty_to_invoice", item.qtyToInvoice.json),
                                    ("price", money(item.price, currency)),
                                    ("base_price", money(item.basePrice, base)),
                                    ("tax_amount", money(item.taxAmount, currency)),
                                    ("discount_amount", money(item.discountAmount, currency)),
                                    ("row_total", money(item.rowTotal, currency)),
                                ] + refunded(item, currency, base))
                        })
                ),
            ] + (refunds.map { self.refunds($0, currency, base) } ?? []))
    }

    /// A customer, as `/api2/customers` answers it (the vendor's field names).
    static func customer(_ customer: CustomerRow) -> JSON {
        .object([
            ("id", .optional(customer.id)), ("email", .string(customer.email)), ("firstname", .string(customer.firstname)),
            ("lastname", .string(customer.lastname)), ("created_at", .string(customer.createdAt)),
        ])
    }

    /// One history entry, as `/api2/history` answers it.
    static func historyEntry(_ entry: OrderHistoryRow) -> JSON {
        .object([
            ("id", .optional(entry.id)), ("comment", .optional(entry.comment)), ("status", .optional(entry.status)),
            ("is_customer_notified", .int(entry.isCustomerNotified ? 1 : 0)),
            ("is_visible_on_front", .int(entry.isVisibleOnFront ? 1 : 0)),
            ("created_at", .string(entry.createdAt)), ("source", .string(entry.source.rawValue)),
        ])
    }
}
