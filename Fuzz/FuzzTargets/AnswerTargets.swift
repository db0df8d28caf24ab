import FolioCLIOutput
@_spi(Fuzzing) import FolioCore
import Foundation

/// The readers of a store's answers to reads: whatever the bytes, no trap
/// and no hang; and what they do read keeps its promises — amounts exact,
/// paging numbers sane, and everything printable by the CLI as JSON that
/// parses back and CSV that splits back.
///
/// With `raw`, the answer is every byte after the first, and the other
/// choices read zeros: a store's real answer can be a corpus file as it is.
enum AnswerTargets {
    static func invoicePage(_ b: inout FuzzBytes, raw: Bool) throws(PropertyViolation) {
        let answer = raw ? b.rest() : nil
        let page = 1 + b.below(3)
        let limit = b.pick([20, 1, 2, 200])
        let body = answer ?? Seeds.invoicePage.mutated(&b).bytes
        guard let read = try? StoreAnswers.invoicePage(Data(body), page: page, limit: limit) else { return }
        try require(read.page >= 1 && read.limit >= 1, .invoicePage, "page \(read.page), limit \(read.limit)")
        try require(read.total.map { $0 >= 0 } ?? true, .invoicePage, "total \(read.total!)")
        try require(read.lastPage.map { $0 >= 1 } ?? true, .invoicePage, "last page \(read.lastPage!)")
        for invoice in read.items { try Checks.summary(invoice, .invoicePage) }
    }

    static func invoiceLookup(_ b: inout FuzzBytes, raw: Bool) throws(PropertyViolation) {
        let body = raw ? b.rest() : Seeds.invoiceLookup.mutated(&b).bytes
        guard let read = try? StoreAnswers.invoiceLookup(Data(body)) else { return }
        try Checks.summary(read.summary, .invoiceLookup)
        try Checks.detail(read.detail, .invoiceLookup)
    }

    static func adminInvoice(_ b: inout FuzzBytes, raw: Bool) throws(PropertyViolation) {
        let body = raw ? b.rest() : (b.bool() ? Seeds.adminInvoice : ["data": Seeds.adminInvoice]).mutated(&b).bytes
        guard let detail = try? StoreAnswers.adminInvoice(Data(body)) else { return }
        try Checks.detail(detail, .adminInvoice)
    }

    static func order(_ b: inout FuzzBytes, raw: Bool) throws(PropertyViolation) {
        let answer = raw ? b.rest() : nil
        let listing = answer.map { $0.starts(with: Array("{\"orders\"".utf8)) } ?? b.bool()
        let body = answer ?? (listing ? Seeds.orderPage : Seeds.orderLookup).mutated(&b).bytes
        var orders: [Order] = []
        if listing {
            guard let read = try? StoreAnswers.orderPage(Data(body), page: 1, limit: 20) else { return }
            try require(read.page >= 1 && read.limit >= 1, .order, "page \(read.page), limit \(read.limit)")
            orders = read.items
        } else {
            guard let read = try? StoreAnswers.order(Data(body)) else { return }
            orders = [read]
        }
        for order in orders {
            for money in [order.grandTotal, order.baseGrandTotal] + order.items.flatMap({ [$0.price, $0.rowTotal] }) {
                try Checks.money(money, .order)
            }
            let json = try Checks.parsed(JSONShapes.order(order), .order)
            try require(Oracle.same(json["increment_id"] as? String, order.incrementId), .order, "increment_id changed")
            let items = json["items"] as? [[String: Any]] ?? []
            try require(items.count == order.items.count, .order, "\(items.count) items printed of \(order.items.count)")
            for (printed, item) in zip(items, order.items) {
                try require(Oracle.same(printed["name"] as? String, item.name), .order, "an item's name changed")
                try require(
                    (printed["qty_to_invoice"] as? String).flatMap { Decimal(string: $0) } == item.qtyToInvoice,
                    .order, "qty_to_invoice \(item.qtyToInvoice) printed as \(printed["qty_to_invoice"] ?? "nothing")")
            }
        }
    }
}

/// The checks every decoded answer must pass.
enum Checks {
    /// An amount is what the store sent: its exact text reads back as the
    /// amount, without a `+` or blanks; and the text for people shows every
    /// digit of it (`Money.description` widens, it never rounds a digit away).
    static func money(_ money: Money?, _ target: FuzzTarget) throws(PropertyViolation) {
        guard let money else { return }
        let exact = money.exact
        try require(Decimal(exactly: exact) == money.amount, target, "exact text \(exact) is not the amount \(money.amount)")
        try require(
            !exact.hasPrefix("+") && exact.unicodeScalars.first != " " && exact.unicodeScalars.last != " ",
            target, "exact text \(exact) keeps a sign or blanks")
        guard money.formatted == nil else { return }
        let shown = money.description
        try require(
            shownAmount(shown, currency: money.currency) == money.amount, target,
            "\(money.amount) \(money.currency) sent as \(exact) is shown as \(shown)")
    }

    /// The amount a person reads in `-€1,234.50`: sign, symbol, then digits with commas.
    /// (A symbol may itself start with `-`: a currency code is the store's text.)
    static func shownAmount(_ text: String, currency: String) -> Decimal? {
        let symbol = CurrencyInfo.of(currency).symbol.unicodeScalars
        func digits(_ rest: Substring.UnicodeScalarView) -> Decimal? {
            guard rest.starts(with: symbol) else { return nil }
            let digits = String(String.UnicodeScalarView(rest.dropFirst(symbol.count).filter { $0 != "," }))
            return Oracle.isPlainNumber(digits) ? Decimal(exactly: digits) : nil
        }
        let scalars = Substring(text).unicodeScalars
        if let value = digits(scalars) { return value }
        guard scalars.first == "-", let value = digits(scalars.dropFirst()) else { return nil }
        return -value
    }

    static func summary(_ i: InvoiceSummary, _ target: FuzzTarget) throws(PropertyViolation) {
        for m in [i.grandTotal, i.baseGrandTotal, i.subtotal, i.taxAmount, i.shippingAmount, i.discountAmount] {
            try money(m, target)
        }
        let json = try parsed(JSONShapes.summary(i), target)
        try require(Oracle.same(json["grand_total"] as? String, i.grandTotal.exact), target, "grand_total printed changed")
        try require(Oracle.same(json["billing_name"] as? String, i.billingName), target, "billing_name printed changed")
        try require(Oracle.same(json["increment_id"] as? String, i.incrementId), target, "increment_id printed changed")
        try OutputTargets.checkCSV(InvoiceCSV.cells(i), numeric: InvoiceCSV.moneyColumns, target)
    }

    static func detail(_ d: InvoiceDetail, _ target: FuzzTarget) throws(PropertyViolation) {
        for totals in [d.totals, d.baseTotals] {
            for m in [
                totals.subtotal, totals.subtotalInclTax, totals.discount, totals.shipping, totals.shippingInclTax,
                totals.shippingTax, totals.tax, totals.grandTotal,
            ] {
                try money(m, target)
            }
        }
        for line in d.items {
            for m in [line.price, line.basePrice, line.total, line.baseTotal, line.taxAmount, line.discountAmount] {
                try money(m, target)
            }
        }
        let json = try parsed(JSONShapes.detail(d), target)
        let items = json["items"] as? [[String: Any]] ?? []
        try require(items.count == d.items.count, target, "\(items.count) lines printed of \(d.items.count)")
        for (printed, line) in zip(items, d.items) {
            try require(
                Oracle.same(printed["sku"] as? String, line.sku) && Oracle.same(printed["name"] as? String, line.name),
                target, "a line's sku or name changed in print")
            try require(Oracle.same(printed["row_total"] as? String, line.total?.exact), target, "a row total changed in print")
            let options = printed["options"] as? [[String: Any]] ?? []
            try require(options.count == line.options.count, target, "options lost in print")
        }
        try require(Oracle.same(json["customer_name"] as? String, d.customerName), target, "customer_name changed in print")
    }

    /// The CLI's JSON of a value, compact and indented, read back by Foundation's parser.
    static func parsed(_ value: JSONText, _ target: FuzzTarget) throws(PropertyViolation) -> [String: Any] {
        var first: [String: Any]?
        for pretty in [false, true] {
            let text = value.rendered(pretty: pretty)
            try require(
                !text.unicodeScalars.contains { Oracle.isForbidden($0) && !(pretty && $0 == "\n") }, target,
                "the CLI's JSON holds a raw control or bidi character")
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            try require(object != nil, target, "the CLI's JSON does not parse: \(text.prefix(300))")
            first = first ?? object
        }
        return first!
    }
}
