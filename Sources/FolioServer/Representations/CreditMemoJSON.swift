/// A credit memo as `/api2/creditmemo` answers it: snake_case, the /api2
/// family's money (decimal strings with four places), every figure in order
/// and base currency.
enum CreditMemoJSON {
    static func make(_ detail: CreditMemoDetail) -> JSON {
        let memo = detail.creditMemo
        let currency = Currency.of(memo.orderCurrencyCode)
        let base = Currency.of(memo.baseCurrencyCode)
        func money(_ amount: MinorUnits) -> JSON { Api2JSON.money(amount, currency) }
        func baseMoney(_ amount: MinorUnits) -> JSON { Api2JSON.money(amount, base) }
        return .object([
            ("entity_id", .optional(memo.entityId)),
            ("increment_id", .string(memo.incrementId)),
            ("invoice_id", .int(memo.invoiceId)),
            ("invoice_increment_id", .string(memo.invoiceIncrementId)),
            ("order_id", .int(memo.orderId)),
            ("order_increment_id", .string(memo.orderIncrementId)),
            ("refund_type", .string(memo.refundType)),
            ("transaction_id", .optional(memo.transactionId)),
            ("state", .int(memo.state)),
            ("items", .array(items(detail.items).map { item($0, currency, base) })),
            ("subtotal", money(memo.subtotal)), ("base_subtotal", baseMoney(memo.baseSubtotal)),
            ("tax_amount", money(memo.taxAmount)), ("base_tax_amount", baseMoney(memo.baseTaxAmount)),
            ("shipping_amount", money(memo.shippingAmount)), ("base_shipping_amount", baseMoney(memo.baseShippingAmount)),
            ("shipping_tax_amount", money(memo.shippingTaxAmount)),
            ("base_shipping_tax_amount", baseMoney(memo.baseShippingTaxAmount)),
            ("discount_amount", money(memo.discountAmount)), ("base_discount_amount", baseMoney(memo.baseDiscountAmount)),
            ("adjustment_positive", money(memo.adjustmentPositive)),
            ("base_adjustment_positive", baseMoney(memo.baseAdjustmentPositive)),
            ("adjustment_negative", money(memo.adjustmentNegative)),
            ("base_adjustment_negative", baseMoney(memo.baseAdjustmentNegative)),
            ("grand_total", money(memo.grandTotal)), ("base_grand_total", baseMoney(memo.baseGrandTotal)),
            ("total_qty", Quantity(scaled: memo.totalQty).json),
            ("order_currency_code", .string(memo.orderCurrencyCode)),
            ("base_currency_code", .string(memo.baseCurrencyCode)),
            ("email_sent", .int(memo.emailSent ? 1 : 0)),
            (
                "comments",
                .array(
                    detail.comments.map { comment in
                        .object([
                            ("entity_id", .optional(comment.id)),
                            ("comment", .string(comment.comment)),
                            ("is_customer_notified", .int(comment.isCustomerNotified ? 1 : 0)),
                            ("created_at", .string(comment.createdAt)),
                        ])
                    })
            ),
            ("created_at", .string(memo.createdAt)),
            ("updated_at", .string(memo.updatedAt)),
        ])
    }

    /// One line per order item: an order-source credit memo that took an item
    /// from several invoice lines shows their sum, in the order written.
    static func items(_ lines: [CreditMemoItemRow]) -> [CreditMemoItemRow] {
        var merged: [CreditMemoItemRow] = []
        for line in lines {
            guard let i = merged.firstIndex(where: { $0.orderItemId == line.orderItemId }) else {
                merged.append(line)
                continue
            }
            merged[i].qty += line.qty
            merged[i].rowTotal += line.rowTotal
            merged[i].baseRowTotal += line.baseRowTotal
            merged[i].taxAmount += line.taxAmount
            merged[i].baseTaxAmount += line.baseTaxAmount
            merged[i].discountAmount += line.discountAmount
            merged[i].baseDiscountAmount += line.baseDiscountAmount
        }
        return merged
    }

    static func item(_ line: CreditMemoItemRow, _ currency: Currency, _ base: Currency) -> JSON {
        .object([
            ("order_item_id", .int(line.orderItemId)),
            ("sku", .string(line.sku)),
            ("name", .string(line.name)),
            ("qty", Quantity(scaled: line.qty).json),
            ("price", Api2JSON.money(line.price, currency)), ("base_price", Api2JSON.money(line.basePrice, base)),
            ("row_total", Api2JSON.money(line.rowTotal, currency)), ("base_row_total", Api2JSON.money(line.baseRowTotal, base)),
            ("tax_amount", Api2JSON.money(line.taxAmount, currency)), ("base_tax_amount", Api2JSON.money(line.baseTaxAmount, base)),
            ("discount_amount", Api2JSON.money(line.discountAmount, currency)),
            ("base_discount_amount", Api2JSON.money(line.baseDiscountAmount, base)),
        ])
    }
}
