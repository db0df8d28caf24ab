import FolioCore

/// The JSON that `--json` prints: snake_case like the API, money as exact
/// decimal strings with their currency, never floating point.
public enum JSONShapes {
    public static func summary(_ i: InvoiceSummary) -> JSONText {
        .object([
            "entity_id": .int(i.id), "increment_id": .string(i.incrementId), "order_id": .number(i.orderId),
            "order_increment_id": .text(i.orderIncrementId), "state": .string(i.state.description),
            "state_code": .number(i.state.code.map(Int64.init)), "grand_total": .money(i.grandTotal),
            "currency": .string(i.grandTotal.currency), "base_grand_total": .money(i.baseGrandTotal),
            "base_currency": .text(i.baseGrandTotal?.currency), "email_sent": .flag(i.emailSent),
            "billing_name": .text(i.billingName), "customer_email": .text(i.customerEmail),
            "created_at": .text(i.createdAt), "updated_at": .text(i.updatedAt),
        ])
    }

    public static func totals(_ t: Totals) -> JSONText {
        .object([
            "subtotal": .money(t.subtotal), "subtotal_incl_tax": .money(t.subtotalInclTax), "discount": .money(t.discount),
            "shipping": .money(t.shipping), "shipping_incl_tax": .money(t.shippingInclTax),
            "shipping_tax": .money(t.shippingTax), "tax": .money(t.tax), "grand_total": .money(t.grandTotal),
        ])
    }

    public static func address(_ a: Address?) -> JSONText {
        guard let a else { return .null }
        return .object([
            "name": .string(a.name), "company": .text(a.company), "street": .text(a.street),
            "city": .text(a.city), "region": .text(a.region), "country": .text(a.country),
            "postcode": .text(a.postcode), "email": .text(a.email), "phone": .text(a.phone),
        ])
    }

    public static func detail(_ d: InvoiceDetail) -> JSONText {
        .object([
            "entity_id": .int(d.id), "increment_id": .string(d.incrementId), "order_id": .number(d.orderId),
            "order_increment_id": .text(d.orderIncrementId), "state": .string(d.state.description),
            "email_sent": .flag(d.emailSent), "currency": .string(d.orderCurrency), "base_currency": .string(d.baseCurrency),
            "totals": totals(d.totals), "base_totals": totals(d.baseTotals), "transaction_id": .text(d.transactionId),
            "reminders": .number(d.reminders.map(Int64.init)), "next_reminder_at": .text(d.nextReminderAt),
            "created_at": .text(d.createdAt), "updated_at": .text(d.updatedAt),
            "order_status": .text(d.orderStatusLabel ?? d.orderStatus), "order_date": .text(d.orderDate),
            "channel": .text(d.channelName), "customer_name": .text(d.customerName), "customer_email": .text(d.customerEmail),
            "billing_address": address(d.billingAddress), "shipping_address": address(d.shippingAddress),
            "items": .array(
                d.items.map { line in
                    .object([
                        "sku": .string(line.sku), "name": .string(line.name), "qty": .decimal(line.qty),
                        "price": .money(line.price), "tax": .money(line.taxAmount), "discount": .money(line.discountAmount),
                        "row_total": .money(line.total), "product_type": .text(line.productType),
                        "options": .array(line.options.map { .object(["label": .string($0.label), "value": .string($0.value)]) }),
                    ])
                }),
            "source": .string(d.source == .admin ? "admin" : "api2"), "unavailable": .array(d.unavailable.map(JSONText.string)),
        ])
    }

    /// An order's history, newest first, as `folio orders history --json` writes it.
    public static func history(_ entries: [OrderHistoryEntry]) -> JSONText { .array(entries.map(historyEntry)) }

    public static func historyEntry(_ e: OrderHistoryEntry) -> JSONText {
        .object([
            "id": .number(e.id), "created_at": .text(e.createdAt), "source": .text(e.source), "status": .text(e.status),
            "comment": .text(e.comment), "is_customer_notified": .bool(e.isCustomerNotified),
            "is_visible_on_front": .bool(e.isVisibleOnFront),
        ])
    }

    public static func order(_ o: Order) -> JSONText {
        .object([
            "entity_id": .int(o.id), "increment_id": .string(o.incrementId), "status": .text(o.status),
            "customer_name": .text(o.customerName), "payment_method": .text(o.paymentMethod),
            "currency": .string(o.currency), "can_invoice": .flag(o.canInvoice), "grand_total": .money(o.grandTotal),
            "items": .array(
                o.items.map { item in
                    .object([
                        "item_id": .int(item.id), "sku": .string(item.sku), "name": .string(item.name),
                        "is_qty_decimal": .bool(item.isQtyDecimal), "qty_ordered": .decimal(item.qtyOrdered),
                        "qty_invoiced": .decimal(item.qtyInvoiced), "qty_canceled": .decimal(item.qtyCanceled),
                        "qty_refunded": .decimal(item.qtyRefunded),
                        "qty_to_invoice": .decimal(item.qtyToInvoice), "price": .money(item.price),
                    ])
                }),
        ])
    }

    /// A journal entry as `journal list --json` and `journal resolve --json` print it.
    public static func journalEntry(_ entry: JournalEntry) -> JSONText {
        .object([
            "reference": .string(entry.reference.value), "kind": .string(entry.intent.kind.rawValue),
            "profile": .string(entry.intent.profile), "order_increment_id": .text(entry.intent.orderNumber),
            "invoice_id": .number(entry.intent.invoiceId), "what": .string(entry.what),
            "outcome": .string(entry.isOpen ? "unknown" : entry.status.rawValue), "latest": .string(entry.explanation),
            "invoice": entry.invoice.map { .object(["entity_id": .int($0.id), "increment_id": .string($0.number)]) } ?? .null,
            "started_at": .string(WriteJournal.timeText(entry.startedAt)),
            "updated_at": .string(WriteJournal.timeText(entry.updatedAt)),
            "request": .string(entry.intent.body),
        ])
    }
}
