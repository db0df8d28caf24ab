import Foundation

/// How a refund moves money: `offline` records it (the default, for
/// safety); `online` asks the payment method to send the money back.
public enum RefundType: String, Sendable, CaseIterable {
    case offline, online
}

/// What a credit memo will come to, computed exactly as the store computes
/// it (README, "Credit memos"): each line's share of the invoice line,
/// rounded cumulatively; shipping and its tax likewise; adjustments turned
/// into the base currency at the invoice's own rate.
public struct RefundPreview: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let orderItemId: Int64
        public let sku: String
        public let name: String
        public let qty: Decimal
        public let rowTotal: CurrencyPair
        public let tax: CurrencyPair
        public let discount: CurrencyPair
    }

    public let lines: [Line]
    public let subtotal: CurrencyPair
    public let tax: CurrencyPair
    public let discount: CurrencyPair
    public let shipping: CurrencyPair
    public let shippingTax: CurrencyPair
    public let adjustmentPositive: CurrencyPair
    public let adjustmentNegative: CurrencyPair
    public let grandTotal: CurrencyPair
}

/// A credit memo request checked against the invoice before sending: every
/// quantity within what is left to refund (whole units unless the item
/// allows fractions), the shipping within what is left, the adjustments
/// exact amounts, and a total neither negative nor more than the money left.
public struct RefundPlan: Sendable, Equatable {
    public let source: RefundSource
    /// By order item id; only the lines refunded.
    public let quantities: [Int64: Decimal]
    public let shipping: Decimal
    public let adjustmentPositive: Decimal
    public let adjustmentNegative: Decimal
    public let refundType: RefundType
    public let sendEmail: Bool
    public let comment: String?
    public let preview: RefundPreview

    /// `decimalItems`: the order items that may be refunded in fractions; by default the source's (its order says which).
    public init(
        source: RefundSource, quantities: [Int64: Decimal], shipping: Decimal = 0, adjustmentPositive: Decimal = 0,
        adjustmentNegative: Decimal = 0, refundType: RefundType = .offline, sendEmail: Bool = false, comment: String? = nil,
        decimalItems: Set<Int64>? = nil
    ) throws(FolioError) {
        let decimalItems = decimalItems ?? source.decimalItems
        for id in quantities.keys where !source.lines.contains(where: { $0.orderItemId == id }) {
            throw .invalidInput("item \(id) is not on invoice \(source.invoiceNumber)")
        }
        guard source.state != .canceled else { throw .invalidInput("invoice \(source.invoiceNumber) is canceled: nothing to refund") }
        if refundType == .online, let why = source.onlineRefusal { throw .invalidInput(why) }
        for line in source.lines {
            if let problem = Self.problem(quantities[line.orderItemId] ?? 0, for: line, decimal: decimalItems.contains(line.orderItemId)) {
                throw .invalidInput(problem)
            }
        }
        // The store's own figures must be sane before any arithmetic (a hostile
        // or broken answer never traps the preview): none negative, none huge.
        let figures =
            source.lines.flatMap { l in
                [l.qty, l.qtyRefunded]
                    + [l.rowTotal, l.tax, l.discount, l.rowRefunded, l.taxRefunded, l.discountRefunded].flatMap { [$0.order, $0.base] }
            }
            + [
                source.shipping, source.shippingTax, source.shippingRefunded, source.shippingTaxRefunded, source.grandTotal,
                source.totalRefunded,
            ]
            .flatMap { [$0.order, $0.base] }
        guard figures.allSatisfy({ $0 >= 0 && $0 < Self.ceiling }) else {
            throw .malformedResponse(field: "invoice", reason: "an amount or quantity is negative or out of range")
        }
        let digits = CurrencyInfo.of(source.currency).minorDigits
        for (name, amount) in [("shipping", shipping), ("adjustment", adjustmentPositive), ("fee", adjustmentNegative)] {
            guard amount >= 0 else { throw .invalidInput("the \(name) to refund cannot be negative") }
            guard amount < Self.ceiling else { throw .invalidInput("the \(name) is out of range") }
            guard amount == amount.rounded(toPlaces: digits) else {
                throw .invalidInput("the \(name) takes at most \(digits) decimals in \(source.currency)")
            }
        }
        guard shipping <= source.refundableShipping else {
            throw .invalidInput(
                source.refundableShipping == 0
                    ? "no shipping is left to refund on invoice \(source.invoiceNumber)"
                    : "the shipping to refund is at most \(Money(source.refundableShipping, source.currency))")
        }
        let chosen = quantities.filter { $0.value > 0 }
        guard !chosen.isEmpty || shipping > 0 || adjustmentPositive > 0 else {
            throw .invalidInput(
                source.lines.contains { $0.refundable > 0 } || source.refundableShipping > 0
                    ? "choose at least one item, some shipping or a positive adjustment to refund"
                    : "invoice \(source.invoiceNumber) has nothing left to refund")
        }
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let trimmed, trimmed.count > OperationReference.commentRoom {
            throw .invalidInput(
                "the comment is too long: at most \(OperationReference.commentRoom) characters (Folio adds the operation reference)")
        }
        let preview = try RefundArithmetic.preview(
            source, quantities: chosen, shipping: shipping, adjustmentPositive: adjustmentPositive,
            adjustmentNegative: adjustmentNegative)
        let left = source.refundableMoney
        guard preview.grandTotal.order >= 0, preview.grandTotal.base >= 0 else {
            throw .invalidInput(
                "the refund comes to \(Money(preview.grandTotal.order, source.currency)): less than nothing — lower the fee")
        }
        guard preview.grandTotal.order <= left.order, preview.grandTotal.base <= left.base else {
            throw .invalidInput(
                "the refund comes to \(Money(preview.grandTotal.order, source.currency)), more than the \(Money(left.order, source.currency)) left to refund on invoice \(source.invoiceNumber)"
            )
        }
        self.source = source
        self.quantities = chosen
        self.shipping = shipping
        self.adjustmentPositive = adjustmentPositive
        self.adjustmentNegative = adjustmentNegative
        self.refundType = refundType
        self.sendEmail = sendEmail
        self.comment = trimmed?.isEmpty == false ? trimmed : nil
        self.preview = preview
    }

    /// Larger than any invoice (twelve whole digits): past it, amounts are refused, never multiplied.
    static let ceiling: Decimal = 1_000_000_000_000

    /// Why `qty` cannot be refunded of `line`, in the words a clerk needs; nil when it can.
    public static func problem(_ qty: Decimal, for line: RefundSource.Line, decimal: Bool) -> String? {
        QuantityRule.problem(qty, sku: line.sku, left: line.refundable, decimal: decimal, verb: "refund")
    }

    /// The `POST /api2/creditmemo` body. The items are always named (an
    /// empty list when only shipping or an adjustment is refunded), and the
    /// shipping too: the store refunds what the clerk reviewed, never
    /// "everything left" of whatever is left when the request lands.
    public func body(reference: OperationReference) -> Data {
        let places = CurrencyInfo.of(source.currency).minorDigits
        let items = quantities.keys.sorted().map { id in
            ["order_item_id": id, "qty": NSDecimalNumber(decimal: quantities[id]!)] as [String: Any]
        }
        let object: [String: Any] = [
            "invoice_id": source.invoiceId, "refund_type": refundType.rawValue, "items": items,
            "shipping_amount": shipping.plainText(places: places),
            "adjustment_positive": adjustmentPositive.plainText(places: places),
            "adjustment_negative": adjustmentNegative.plainText(places: places),
            "send_email": sendEmail, "comment": reference.marked(comment),
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// What will be sent, in words: the review and `--dry-run`.
    public var summary: [String] {
        let money = { (amount: Decimal) in Money(amount, self.source.currency).description }
        var text = ["refund from invoice \(source.invoiceNumber) (order \(source.orderNumber ?? "?"))"]
        text += preview.lines.map { "  \($0.sku)  \($0.name)  × \($0.qty)  \(money($0.rowTotal.order - $0.discount.order + $0.tax.order))" }
        if shipping > 0 { text.append("  shipping \(money(shipping + preview.shippingTax.order))") }
        if adjustmentPositive > 0 { text.append("  adjustment (extra credit) \(money(adjustmentPositive))") }
        if adjustmentNegative > 0 { text.append("  fee (subtracted) \(money(adjustmentNegative))") }
        let base =
            source.baseCurrency == source.currency ? "" : " (base \(Money(preview.grandTotal.base, source.baseCurrency)))"
        text.append("total to refund: \(money(preview.grandTotal.order))\(base)")
        text.append("refund: \(refundType == .online ? "online — the payment method sends the money back" : "offline — recorded only")")
        text.append("email the customer: \(sendEmail ? "yes" : "no")")
        text.append("comment: \(comment ?? "(none)")")
        return text
    }
}

/// The store's arithmetic of a credit memo, in minor units (README, "Credit memos").
enum RefundArithmetic {
    /// `amount × numerator ÷ denominator`, rounded half away from zero, in full width.
    static func prorate(_ amount: Int64, _ numerator: Int64, _ denominator: Int64) -> Int64 {
        guard denominator > 0 else { return 0 }
        let (q, r) = denominator.dividingFullWidth(amount.multipliedFullWidth(by: numerator))
        if r.magnitude * 2 >= denominator.magnitude { return q + (amount < 0 ? -1 : 1) * (numerator < 0 ? -1 : 1) }
        return q
    }

    /// Minor units of an amount (the store's amounts are whole minor units).
    static func minor(_ amount: Decimal, _ digits: Int) throws(FolioError) -> Int64 {
        var scaled = amount
        for _ in 0..<digits { scaled *= 10 }
        let whole = scaled.rounded(toPlaces: 0)
        let value = NSDecimalNumber(decimal: whole).int64Value
        guard whole == scaled, Decimal(value) == whole else {
            throw .invalidInput("\(amount) is not a whole number of minor units — the preview cannot be exact")
        }
        return value
    }

    static func decimal(_ minor: Int64, _ digits: Int) -> Decimal {
        var value = Decimal(minor)
        for _ in 0..<digits { value /= 10 }
        return value
    }

    /// Quantities as the store scales them (four places).
    static func scaled(_ qty: Decimal) throws(FolioError) -> Int64 { try minor(qty, 4) }

    static func preview(
        _ source: RefundSource, quantities: [Int64: Decimal], shipping: Decimal, adjustmentPositive: Decimal,
        adjustmentNegative: Decimal
    ) throws(FolioError) -> RefundPreview {
        let od = CurrencyInfo.of(source.currency).minorDigits
        let bd = CurrencyInfo.of(source.baseCurrency).minorDigits
        func both(_ pair: CurrencyPair) throws(FolioError) -> (Int64, Int64) { (try minor(pair.order, od), try minor(pair.base, bd)) }
        func pair(_ o: Int64, _ b: Int64) -> CurrencyPair { CurrencyPair(decimal(o, od), decimal(b, bd)) }

        var lines: [RefundPreview.Line] = []
        var sub = (Int64(0), Int64(0))
        var tax = (Int64(0), Int64(0))
        var disc = (Int64(0), Int64(0))
        for line in source.lines {
            guard let qty = quantities[line.orderItemId], qty > 0 else { continue }
            let invoiced = try scaled(line.qty)
            let after = try scaled(line.qtyRefunded) + scaled(qty)
            func share(_ amount: CurrencyPair, _ already: CurrencyPair) throws(FolioError) -> (Int64, Int64) {
                let (a, ab) = try both(amount)
                let (r, rb) = try both(already)
                return (prorate(a, after, invoiced) - r, prorate(ab, after, invoiced) - rb)
            }
            let row = try share(line.rowTotal, line.rowRefunded)
            let t = try share(line.tax, line.taxRefunded)
            let d = try share(line.discount, line.discountRefunded)
            sub = (sub.0 + row.0, sub.1 + row.1)
            tax = (tax.0 + t.0, tax.1 + t.1)
            disc = (disc.0 + d.0, disc.1 + d.1)
            lines.append(
                .init(
                    orderItemId: line.orderItemId, sku: line.sku, name: line.name, qty: qty, rowTotal: pair(row.0, row.1),
                    tax: pair(t.0, t.1), discount: pair(d.0, d.1)))
        }
        // Shipping and its tax, cumulatively over what was invoiced.
        let invoicedShipping = try minor(source.shipping.order, od)
        var ship = (Int64(0), Int64(0))
        var shipTax = (Int64(0), Int64(0))
        if invoicedShipping > 0 {
            let s = try minor(shipping, od)
            let after = try minor(source.shippingRefunded.order, od) + s
            let (t, tb) = try both(source.shippingTax)
            let (tr, trb) = try both(source.shippingTaxRefunded)
            ship = (
                s, prorate(try minor(source.shipping.base, bd), after, invoicedShipping) - (try minor(source.shippingRefunded.base, bd))
            )
            shipTax = (prorate(t, after, invoicedShipping) - tr, prorate(tb, after, invoicedShipping) - trb)
        }
        // Adjustments at the invoice's own rate.
        let (gt, gtb) = try both(source.grandTotal)
        func base(_ adjustment: Decimal) throws(FolioError) -> (Int64, Int64) {
            let a = try minor(adjustment, od)
            return (a, gt == 0 ? 0 : prorate(a, gtb, gt))
        }
        let plus = try base(adjustmentPositive)
        let minus = try base(adjustmentNegative)
        let taxAll = (tax.0 + shipTax.0, tax.1 + shipTax.1)
        let grand = (
            sub.0 - disc.0 + taxAll.0 + ship.0 + plus.0 - minus.0, sub.1 - disc.1 + taxAll.1 + ship.1 + plus.1 - minus.1
        )
        return RefundPreview(
            lines: lines, subtotal: pair(sub.0, sub.1), tax: pair(taxAll.0, taxAll.1), discount: pair(disc.0, disc.1),
            shipping: pair(ship.0, ship.1), shippingTax: pair(shipTax.0, shipTax.1), adjustmentPositive: pair(plus.0, plus.1),
            adjustmentNegative: pair(minus.0, minus.1), grandTotal: pair(grand.0, grand.1))
    }
}
