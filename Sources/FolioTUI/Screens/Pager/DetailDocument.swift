import FolioCore
import FolioTerminal
import Foundation

/// The detail screen's content: an invoice laid out as a `Document`.
extension Document {
    init(invoice d: InvoiceDetail, width: Int, glyphs: Glyphs, history: HistorySection? = nil) {
        self.init(width: width, glyphs: glyphs)
        let sep = " \(glyphs.separator) "
        // Header.
        add([
            Span(x: 1, text: "Invoice \(d.incrementId)", slot: .title),
            Span(x: 3 + TextWidth.of("Invoice \(d.incrementId)"), text: d.state.description, slot: d.state.slot),
            Span(
                x: 5 + TextWidth.of("Invoice \(d.incrementId)") + TextWidth.of(d.state.description),
                text: "order \(d.orderIncrementId ?? "—")", slot: .text),
        ])
        line([("created ", .muted), (d.createdAt ?? "—", .text), (sep + "updated ", .muted), (d.updatedAt ?? "—", .text)])
        var facts: [(String, Theme.Slot)] = [
            ("email ", .muted),
            (
                d.emailSent == true ? "sent" : d.emailSent == false ? "not sent" : "—",
                d.emailSent == true ? .success : .warning
            ),
        ]
        if let t = d.transactionId { facts += [(sep + "transaction ", .muted), (t, .text)] }
        if let r = d.reminders {
            facts += [(sep + "reminders ", .muted), ("\(r)", .text)]
            if let next = d.nextReminderAt { facts += [(", next ", .muted), (next, .text)] }
        }
        line(facts)
        blank()
        // Customer and order context.
        line([("Customer ", .muted), (d.customerName ?? "—", .text)] + (d.customerEmail.map { [(" <\($0)>", .text)] } ?? []))
        var order: [(String, Theme.Slot)] = []
        if let c = d.channelName { order += [("channel ", .muted), (c, .text), (sep, .muted)] }
        order += [("order status ", .muted), (d.orderStatusLabel ?? d.orderStatus ?? "—", .text)]
        if let date = d.orderDate { order += [(sep + "ordered ", .muted), (date, .text)] }
        line(order)
        blank()
        addresses(d)
        blank()
        items(d, glyphs: glyphs)
        blank()
        totals(d)
        if !d.unavailable.isEmpty {
            blank()
            paragraph(
                "Not shown — this store has no admin detail for Folio's token: "
                    + d.unavailable.joined(separator: ", ") + ".", slot: .warning)
        }
        // The order's history last: the clerk reads the invoice first.
        if let history {
            blank()
            self.history(history)
        }
    }

    /// Side by side from 100 columns, else one under the other.
    private mutating func addresses(_ d: InvoiceDetail) {
        let blocks: [(String, Address?)] = [("Bill to", d.billingAddress), ("Ship to", d.shippingAddress)]
        if width >= 100 {
            let column = width / 2
            let left = blocks[0].1?.lines ?? ["—"]
            let right = blocks[1].1?.lines ?? ["—"]
            lines.append([Span(x: 1, text: blocks[0].0, slot: .title), Span(x: column, text: blocks[1].0, slot: .title)])
            for i in 0..<max(left.count, right.count) {
                var spans: Line = []
                if i < left.count { spans.append(Span(x: 1, text: TextWidth.truncate(left[i], to: column - 3), slot: .text)) }
                if i < right.count { spans.append(Span(x: column, text: right[i], slot: .text)) }
                lines.append(spans)
            }
        } else {
            for (index, (title, address)) in blocks.enumerated() {
                if index > 0 { blank() }
                lines.append([Span(x: 1, text: title, slot: .title)])
                for text in address?.lines ?? ["—"] { lines.append([Span(x: 1, text: text, slot: .text)]) }
            }
        }
    }

    private mutating func items(_ d: InvoiceDetail, glyphs: Glyphs) {
        lines.append([Span(x: 1, text: "Items (\(d.items.count))", slot: .title)])
        table(
            Table(
                Table.itemColumns(skus: d.items.map(\.sku)) + [
                    .init("Qty", .init(minimum: 3, priority: 0, alignRight: true)),
                    .init("Price", .init(minimum: 5, priority: 3, alignRight: true)),
                    .init("Tax", .init(minimum: 3, priority: 5, alignRight: true)),
                    .init("Discount", .init(minimum: 8, priority: 6, alignRight: true)),
                    .init("Row total", .init(minimum: 9, priority: 0, alignRight: true)),
                ],
                rows: d.items.map { l in
                    [
                        l.sku, l.name, Document.quantity(l.qty), l.price?.description ?? "—", l.taxAmount?.description ?? "—",
                        l.discountAmount?.description ?? "—", l.total?.description ?? "—",
                    ].map { Table.Cell($0) }
                }),
            notes: d.items.map { line in
                var notes = line.options.map { "\($0.label): \($0.value)" }
                if let type = line.productType, type != "simple" { notes.append(type) }
                return notes.joined(separator: " \(glyphs.separator) ")
            })
    }

    private mutating func totals(_ d: InvoiceDetail) {
        let rows: [(String, KeyPath<Totals, Money?>)] = [
            ("Subtotal", \.subtotal), ("Subtotal incl. tax", \.subtotalInclTax), ("Discount", \.discount),
            ("Shipping", \.shipping), ("Shipping incl. tax", \.shippingInclTax), ("Shipping tax", \.shippingTax),
            ("Tax", \.tax), ("Grand total", \.grandTotal),
        ]
        let shown = rows.filter { d.totals[keyPath: $0.1] != nil || d.baseTotals[keyPath: $0.1] != nil }
        let base = d.showsBaseCurrency
        let orderWidth = shown.reduce(TextWidth.of(d.orderCurrency)) { max($0, TextWidth.of(d.totals[keyPath: $1.1]?.description ?? "—")) }
        let baseWidth = shown.reduce(TextWidth.of(d.baseCurrency)) {
            max($0, TextWidth.of(d.baseTotals[keyPath: $1.1]?.description ?? "—"))
        }
        let labelX = 1
        let orderX = 22
        let baseX = orderX + orderWidth + 3
        var header: Line = [
            Span(x: labelX, text: "Totals", slot: .title),
            Span(x: orderX, text: d.orderCurrency, slot: .muted, width: orderWidth),
        ]
        if base {
            header.append(
                Span(
                    x: baseX, text: d.baseCurrency + " (base)", slot: .muted,
                    width: max(baseWidth, TextWidth.of(d.baseCurrency + " (base)"))))
        }
        lines.append(header)
        for (label, path) in shown {
            let grand = label == "Grand total"
            var spans: Line = [
                Span(x: labelX, text: label, slot: grand ? .accent : .text),
                Span(x: orderX, text: d.totals[keyPath: path]?.description ?? "—", slot: grand ? .accent : .text, width: orderWidth),
            ]
            if base {
                spans.append(
                    Span(
                        x: baseX, text: d.baseTotals[keyPath: path]?.description ?? "—", slot: grand ? .accent : .text,
                        width: max(baseWidth, TextWidth.of(d.baseCurrency + " (base)"))))
            }
            lines.append(spans)
        }
    }

    /// `4`, `2.5`: no trailing zeros.
    static func quantity(_ q: Decimal) -> String {
        var text = q.plainText(places: 4)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
