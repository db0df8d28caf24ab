import Foundation

/// An amount in the order currency and its twin in the base currency.
public struct CurrencyPair: Sendable, Equatable {
    public var order: Decimal
    public var base: Decimal

    public init(_ order: Decimal, _ base: Decimal) {
        self.order = order
        self.base = base
    }

    public static let zero = CurrencyPair(0, 0)
}

/// An invoice as a refund sees it (the `/api2` look-up): each line with what
/// was invoiced and what is refunded already, in both currencies, and the
/// shipping and money left to give back. What a credit memo may take is
/// computed from these, exactly as the store computes it.
public struct RefundSource: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var orderItemId: Int64
        public var sku: String
        public var name: String
        public var qty: Decimal
        public var qtyRefunded: Decimal
        public var price: Decimal?
        public var rowTotal: CurrencyPair
        public var tax: CurrencyPair
        public var discount: CurrencyPair
        public var rowRefunded: CurrencyPair
        public var taxRefunded: CurrencyPair
        public var discountRefunded: CurrencyPair

        /// What is left to refund of the line.
        public var refundable: Decimal { max(0, qty - qtyRefunded) }
    }

    public var invoiceId: Int64
    public var invoiceNumber: String
    public var orderId: Int64?
    public var orderNumber: String?
    public var state: InvoiceState
    public var currency: String
    public var baseCurrency: String
    public var captureMode: String?
    public var transactionId: String?
    public var lines: [Line]
    public var shipping: CurrencyPair
    public var shippingTax: CurrencyPair
    public var shippingRefunded: CurrencyPair
    public var shippingTaxRefunded: CurrencyPair
    public var grandTotal: CurrencyPair
    public var totalRefunded: CurrencyPair
    /// The order items sold in fractions (the invoice does not say; its order does).
    public var decimalItems: Set<Int64> = []

    /// Shipping left to refund, in the order currency.
    public var refundableShipping: Decimal { max(0, shipping.order - shippingRefunded.order) }
    /// Money left to refund.
    public var refundableMoney: CurrencyPair {
        CurrencyPair(grandTotal.order - totalRefunded.order, grandTotal.base - totalRefunded.base)
    }
    /// Whether the payment was taken online (with a transaction), the one case an online refund can go.
    public var capturedOnline: Bool { captureMode == "online" && transactionId?.isEmpty == false }

    /// Why an online refund cannot go, when the store says how the invoice
    /// was captured and it was not online with a transaction; nil when it
    /// was, or when the store does not say (its gateway decides then).
    public var onlineRefusal: String? {
        guard let mode = captureMode, !capturedOnline else { return nil }
        let how = mode == "online" ? "captured online without a transaction" : mode == "no_capture" ? "not captured" : "captured \(mode)"
        return "invoice \(invoiceNumber) was \(how), so there is no payment to send back online — offline records the refund"
    }
}

extension RefundSource: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        func pair(_ name: String, _ c: KeyedDecodingContainer<AnyKey>) throws -> CurrencyPair {
            CurrencyPair(try c.decimal(name) ?? 0, try c.decimal("base_" + name) ?? 0)
        }
        invoiceId = try c.required(try c.integer("entity_id", "id"), "entity_id")
        invoiceNumber = try c.required(try c.text("increment_id"), "increment_id")
        orderId = try c.integer("order_id")
        orderNumber = try c.text("order_increment_id")
        state = InvoiceState(code: Int(try c.integer("state") ?? 0))
        currency = try c.text("order_currency_code") ?? ""
        baseCurrency = try c.text("base_currency_code") ?? currency
        captureMode = try c.text("capture_mode")
        transactionId = try c.text("transaction_id")
        shipping = try pair("shipping_amount", c)
        shippingTax = try pair("shipping_tax_amount", c)
        shippingRefunded = try pair("shipping_refunded", c)
        shippingTaxRefunded = try pair("shipping_tax_refunded", c)
        grandTotal = try pair("grand_total", c)
        totalRefunded = try pair("total_refunded", c)
        var items = try c.nestedUnkeyedContainer(forKey: AnyKey("items"))
        var lines: [Line] = []
        while !items.isAtEnd {
            let i = try items.nestedContainer(keyedBy: AnyKey.self)
            lines.append(
                Line(
                    orderItemId: try i.required(try i.integer("order_item_id"), "items.order_item_id"),
                    sku: try i.text("sku") ?? "", name: try i.text("name") ?? "",
                    qty: try i.decimal("qty") ?? 0, qtyRefunded: try i.decimal("qty_refunded") ?? 0,
                    price: try i.decimal("price"),
                    rowTotal: try pair("row_total", i), tax: try pair("tax_amount", i), discount: try pair("discount_amount", i),
                    rowRefunded: try pair("amount_refunded", i), taxRefunded: try pair("tax_refunded", i),
                    discountRefunded: try pair("discount_refunded", i)))
        }
        self.lines = lines
    }
}

extension APIClient {
    /// An invoice as a refund sees it, by its number, with which of its
    /// items its order sells in fractions.
    public func refundSource(invoiceNumber: String) async throws(FolioError) -> RefundSource {
        let number = invoiceNumber.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else { throw .invalidInput("the invoice number is empty") }
        let reply = try await get("/api2/invoice", query: [("increment_id", number)])
        try check(reply, what: "invoice \(number)")
        struct Envelope: Decodable { let invoice: RefundSource }
        var source = try Self.decode(Envelope.self, reply.body).invoice
        guard source.invoiceNumber == number else {
            throw .malformedResponse(
                field: "invoice.increment_id", reason: "the store answered invoice \(source.invoiceNumber) for \(number)")
        }
        // Which items take fractions is the order's to say. Not knowing is
        // never a reason to refuse the refund: whole units only (stricter, never looser).
        if let order = source.orderNumber, let items = try? await self.order(number: order).items {
            source.decimalItems = Set(items.filter(\.isQtyDecimal).map(\.id))
        }
        return source
    }
}
