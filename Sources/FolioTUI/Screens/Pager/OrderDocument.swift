import FolioCore
import FolioTerminal

/// The order pager's content: for each item what was ordered, invoiced,
/// canceled and what remains to invoice.
extension Document {
    init(order o: Order, width: Int, glyphs: Glyphs) {
        self.init(width: width, glyphs: glyphs)
        let sep = " \(glyphs.separator) "
        line([("Order \(o.incrementId)", .title), ("  ", .text), (o.status ?? o.state ?? "—", .accent), ("  read-only", .muted)])
        line([("Customer ", .muted), (o.customerName ?? "—", .text)] + (o.customerEmail.map { [(" <\($0)>", .text)] } ?? []))
        var facts: [(String, Theme.Slot)] = [
            ("payment ", .muted), (o.paymentMethod ?? "—", .text), (sep + "currency ", .muted),
            (o.currency, .text),
        ]
        if o.baseCurrency != o.currency { facts += [(" (base \(o.baseCurrency))", .muted)] }
        if let date = o.createdAt { facts += [(sep + "ordered ", .muted), (date, .text)] }
        line(facts)
        if let total = o.grandTotal {
            line(
                [("Grand total ", .muted), (total.description, .text)]
                    + (o.baseCurrency != o.currency ? o.baseGrandTotal.map { [(" (\($0.description))", .muted)] } ?? [] : []))
        }
        blank()
        line([("Items (\(o.items.count))", .title)])
        table(
            Table(
                Table.itemColumns(skus: o.items.map(\.sku)) + [
                    .init("Price", .init(minimum: 5, priority: 5, alignRight: true)),
                    .init("Ordered", .init(minimum: 7, priority: 0, alignRight: true)),
                    .init("Invoiced", .init(minimum: 8, priority: 0, alignRight: true)),
                    .init("Canceled", .init(minimum: 8, priority: 3, alignRight: true)),
                    .init("Remaining", .init(minimum: 9, priority: 0, alignRight: true)),
                ],
                rows: o.items.map { i in
                    [
                        i.sku, i.name, i.price?.description ?? "—", Document.quantity(i.qtyOrdered), Document.quantity(i.qtyInvoiced),
                        Document.quantity(i.qtyCanceled),
                    ].map { Table.Cell($0) }
                        + [Table.Cell(Document.quantity(i.qtyToInvoice), i.qtyToInvoice > 0 ? .accent : .muted)]
                }),
            notes: o.items.map { item in
                [item.productType.flatMap { $0 == "simple" ? nil : $0 }, item.isQtyDecimal ? "decimal quantities" : nil]
                    .compactMap { $0 }.joined(separator: " \(glyphs.separator) ")
            })
    }
}
