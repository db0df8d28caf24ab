import FolioCLIOutput
import FolioCore

/// `folio invoices show` for people: the detail screen's content as text.
enum DetailText {
    static func print(_ d: InvoiceDetail) {
        Output.line("invoice \(d.incrementId)  [\(d.state)]  order \(d.orderIncrementId ?? "?")")
        Output.line("created \(d.createdAt ?? "?")  updated \(d.updatedAt ?? "?")  email \(d.emailSent == true ? "sent" : "not sent")")
        if let t = d.transactionId { Output.line("transaction \(t)") }
        if let r = d.reminders, r > 0 { Output.line("reminders \(r), next \(d.nextReminderAt ?? "none")") }
        Output.line(
            "customer \(d.customerName ?? "?") <\(d.customerEmail ?? "?")>"
                + (d.channelName.map { "  channel \($0)" } ?? "")
                + (d.orderStatusLabel.map { "  order status \($0)" } ?? ""))
        for (title, address) in [("bill to", d.billingAddress), ("ship to", d.shippingAddress)] {
            if let address { Output.line("\(title): " + address.lines.joined(separator: ", ")) }
        }
        Output.line()
        Output.table(
            ["SKU", "NAME", "QTY", "PRICE", "TAX", "DISCOUNT", "ROW TOTAL"],
            d.items.map { l in
                [
                    l.sku,
                    l.name + (l.options.isEmpty ? "" : " (" + l.options.map { "\($0.label): \($0.value)" }.joined(separator: " · ") + ")"),
                    l.qty.description, l.price?.description ?? "", l.taxAmount?.description ?? "",
                    l.discountAmount?.description ?? "", l.total?.description ?? "",
                ]
            }, rightAligned: [2, 3, 4, 5, 6])
        Output.line()
        let rows: [(String, KeyPath<Totals, Money?>)] = [
            ("subtotal", \.subtotal), ("subtotal incl. tax", \.subtotalInclTax), ("discount", \.discount),
            ("shipping", \.shipping), ("shipping incl. tax", \.shippingInclTax), ("shipping tax", \.shippingTax),
            ("tax", \.tax), ("grand total", \.grandTotal),
        ]
        let header = d.showsBaseCurrency ? ["", d.orderCurrency, d.baseCurrency] : ["", d.orderCurrency]
        Output.table(
            header,
            rows.compactMap { label, path in
                guard d.totals[keyPath: path] != nil || d.baseTotals[keyPath: path] != nil else { return nil }
                let order = d.totals[keyPath: path]?.description ?? "—"
                return d.showsBaseCurrency ? [label, order, d.baseTotals[keyPath: path]?.description ?? "—"] : [label, order]
            }, rightAligned: [1, 2])
        if !d.unavailable.isEmpty {
            Output.line()
            Output.line("not available from this store: " + d.unavailable.joined(separator: ", "))
        }
    }
}
