import Foundation
import FolioCore
import FolioTerminal

/// Writing for people (aligned tables) and for scripts (JSON, CSV).
///
/// Everything the CLI prints goes through here, and everything goes out
/// through `VisibleText`: a store's names, SKUs, addresses and error texts
/// reach the terminal as the store meant them, never as commands to it.
enum Output {
    static func line(_ text: String = "") {
        StandardStreams.out(VisibleText.of(text) + "\n")
    }

    static func error(_ text: String) {
        StandardStreams.err("folio: " + VisibleText.of(text) + "\n")
    }

    /// Columns padded by display width, so CJK names line up; numbers right-aligned.
    /// Cells are escaped before they are measured, so an escape widens its column
    /// instead of shifting the columns after it.
    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) {
        let rows = rows.map { row in row.map { VisibleText.of($0) } }
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

    /// Indented JSON for scripts and people; `JSONText` has escaped every string.
    static func json(_ value: JSONText) { StandardStreams.out(value.rendered(pretty: true) + "\n") }

    /// One CSV record (RFC 4180), safe to `cat` and to open in a spreadsheet:
    /// - store text is escaped as for the terminal (`VisibleText`), so no cell
    ///   holds a control character, a line break or a bidi override;
    /// - a cell that a spreadsheet would run as a formula — one starting with
    ///   `=`, `+`, `-`, `@`, tab or carriage return — gets a leading `'`
    ///   (OWASP's advice), which spreadsheets show as text;
    /// - except in the columns named `numeric` (money), a plain decimal such as
    ///   `-25.00` is written as it is, so that it stays a number a sheet can sum;
    ///   anything else there is guarded like text;
    /// - a cell with a comma, semicolon (the separator of some locales) or quote is
    ///   quoted, its quotes doubled.
    static func csv(_ cells: [String], numeric: Set<Int> = []) -> String {
        cells.enumerated().map { i, raw in
            var cell = VisibleText.of(raw)
            if let first = cell.unicodeScalars.first, formulaStarts.contains(first),
               !(numeric.contains(i) && isPlainDecimal(cell)) {
                cell = "'" + cell
            }
            return cell.contains(where: { $0 == "," || $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }.joined(separator: ",")
    }

    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `-25.00`, `3`, `0.5`: an optional minus, digits, at most one point between digits.
    static func isPlainDecimal(_ text: String) -> Bool {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

/// The JSON that `--json` prints: snake_case like the API, money as exact
/// decimal strings with their currency, never floating point.
enum JSONShapes {
    static func summary(_ i: InvoiceSummary) -> JSONText {
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

    static func totals(_ t: Totals) -> JSONText {
        .object(["subtotal": .money(t.subtotal), "subtotal_incl_tax": .money(t.subtotalInclTax), "discount": .money(t.discount),
                 "shipping": .money(t.shipping), "shipping_incl_tax": .money(t.shippingInclTax),
                 "shipping_tax": .money(t.shippingTax), "tax": .money(t.tax), "grand_total": .money(t.grandTotal)])
    }

    static func address(_ a: Address?) -> JSONText {
        guard let a else { return .null }
        return .object(["name": .string(a.name), "company": .text(a.company), "street": .text(a.street),
                        "city": .text(a.city), "region": .text(a.region), "country": .text(a.country),
                        "postcode": .text(a.postcode), "email": .text(a.email), "phone": .text(a.phone)])
    }

    static func detail(_ d: InvoiceDetail) -> JSONText {
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
            "items": .array(d.items.map { line in
                .object(["sku": .string(line.sku), "name": .string(line.name), "qty": .decimal(line.qty),
                         "price": .money(line.price), "tax": .money(line.taxAmount), "discount": .money(line.discountAmount),
                         "row_total": .money(line.total), "product_type": .text(line.productType),
                         "options": .array(line.options.map { .object(["label": .string($0.label), "value": .string($0.value)]) })])
            }),
            "source": .string(d.source == .admin ? "admin" : "api2"), "unavailable": .array(d.unavailable.map(JSONText.string)),
        ])
    }

    static func order(_ o: Order) -> JSONText {
        .object([
            "entity_id": .int(o.id), "increment_id": .string(o.incrementId), "status": .text(o.status),
            "customer_name": .text(o.customerName), "payment_method": .text(o.paymentMethod),
            "currency": .string(o.currency), "can_invoice": .flag(o.canInvoice), "grand_total": .money(o.grandTotal),
            "items": .array(o.items.map { item in
                .object(["item_id": .int(item.id), "sku": .string(item.sku), "name": .string(item.name),
                         "is_qty_decimal": .bool(item.isQtyDecimal), "qty_ordered": .decimal(item.qtyOrdered),
                         "qty_invoiced": .decimal(item.qtyInvoiced), "qty_canceled": .decimal(item.qtyCanceled),
                         "qty_to_invoice": .decimal(item.qtyToInvoice), "price": .money(item.price)])
            }),
        ])
    }
}
