import Foundation
import FolioCore
import FolioTerminal

/// Writing for people (aligned tables) and for scripts (JSON, CSV).
enum Output {
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("folio: " + text + "\n").utf8))
    }

    /// Columns padded by display width, so CJK names line up; numbers right-aligned.
    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) {
        let widths = header.indices.map { i in
            ([header[i]] + rows.map { $0[i] }).map { TextWidth.of($0) }.max() ?? 0
        }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                TextWidth.pad(cell, to: widths[i], alignRight: rightAligned.contains(i))
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        line(render(header))
        for row in rows { line(render(row)) }
    }

    /// Stable, pretty JSON for scripts; keys sorted.
    static func json(_ value: Any) {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        line(String(decoding: data, as: UTF8.self))
    }

    /// One JSON object per line (JSON lines).
    static func jsonLine(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// RFC 4180: quote when needed, double the quotes.
    static func csv(_ cells: [String]) -> String {
        cells.map { cell in
            cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }.joined(separator: ",")
    }
}

/// The JSON that `--json` prints: snake_case like the API, money as exact
/// decimal strings with their currency, never floating point.
enum JSONShapes {
    static func money(_ m: Money?) -> Any { m.map { $0.plain } ?? NSNull() }
    static func optional(_ v: Any?) -> Any { v ?? NSNull() }

    static func summary(_ i: InvoiceSummary) -> [String: Any] {
        [
            "entity_id": i.id, "increment_id": i.incrementId, "order_id": optional(i.orderId),
            "order_increment_id": optional(i.orderIncrementId), "state": i.state.description,
            "state_code": optional(i.state.code), "grand_total": money(i.grandTotal), "currency": i.grandTotal.currency,
            "base_grand_total": money(i.baseGrandTotal), "base_currency": optional(i.baseGrandTotal?.currency),
            "email_sent": optional(i.emailSent), "billing_name": optional(i.billingName),
            "customer_email": optional(i.customerEmail), "created_at": optional(i.createdAt), "updated_at": optional(i.updatedAt),
        ]
    }

    static func totals(_ t: Totals) -> [String: Any] {
        ["subtotal": money(t.subtotal), "subtotal_incl_tax": money(t.subtotalInclTax), "discount": money(t.discount),
         "shipping": money(t.shipping), "shipping_incl_tax": money(t.shippingInclTax), "shipping_tax": money(t.shippingTax),
         "tax": money(t.tax), "grand_total": money(t.grandTotal)]
    }

    static func address(_ a: Address?) -> Any {
        guard let a else { return NSNull() }
        return ["name": a.name, "company": optional(a.company), "street": optional(a.street), "city": optional(a.city),
                "region": optional(a.region), "country": optional(a.country), "postcode": optional(a.postcode),
                "email": optional(a.email), "phone": optional(a.phone)] as [String: Any]
    }

    static func detail(_ d: InvoiceDetail) -> [String: Any] {
        [
            "entity_id": d.id, "increment_id": d.incrementId, "order_id": optional(d.orderId),
            "order_increment_id": optional(d.orderIncrementId), "state": d.state.description,
            "email_sent": optional(d.emailSent), "currency": d.orderCurrency, "base_currency": d.baseCurrency,
            "totals": totals(d.totals), "base_totals": totals(d.baseTotals), "transaction_id": optional(d.transactionId),
            "reminders": optional(d.reminders), "next_reminder_at": optional(d.nextReminderAt),
            "created_at": optional(d.createdAt), "updated_at": optional(d.updatedAt),
            "order_status": optional(d.orderStatusLabel ?? d.orderStatus), "order_date": optional(d.orderDate),
            "channel": optional(d.channelName), "customer_name": optional(d.customerName),
            "customer_email": optional(d.customerEmail), "billing_address": address(d.billingAddress),
            "shipping_address": address(d.shippingAddress),
            "items": d.items.map { line in
                ["sku": line.sku, "name": line.name, "qty": line.qty.description, "price": money(line.price),
                 "tax": money(line.taxAmount), "discount": money(line.discountAmount), "row_total": money(line.total),
                 "product_type": optional(line.productType),
                 "options": line.options.map { ["label": $0.label, "value": $0.value] }] as [String: Any]
            },
            "source": d.source == .admin ? "admin" : "api2", "unavailable": d.unavailable,
        ]
    }

    static func order(_ o: Order) -> [String: Any] {
        [
            "entity_id": o.id, "increment_id": o.incrementId, "status": optional(o.status),
            "customer_name": optional(o.customerName), "payment_method": optional(o.paymentMethod),
            "currency": o.currency, "can_invoice": optional(o.canInvoice), "grand_total": money(o.grandTotal),
            "items": o.items.map { item in
                ["item_id": item.id, "sku": item.sku, "name": item.name, "is_qty_decimal": item.isQtyDecimal,
                 "qty_ordered": item.qtyOrdered.description, "qty_invoiced": item.qtyInvoiced.description,
                 "qty_canceled": item.qtyCanceled.description, "qty_to_invoice": item.qtyToInvoice.description,
                 "price": money(item.price)] as [String: Any]
            },
        ]
    }
}
