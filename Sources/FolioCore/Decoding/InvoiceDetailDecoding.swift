import Foundation

extension InvoiceDetail {
    /// The admin family's invoice: bare (as Bagisto serves it) or under `data`.
    public static func decodeAdmin(_ data: Data) throws -> InvoiceDetail {
        try JSONDecoder().decode(AdminEnvelope.self, from: data).detail
    }

    /// The `/api2` lookup, `{"invoice": {…}}`.
    public static func decodeAPI2(_ data: Data) throws -> InvoiceDetail {
        try JSONDecoder().decode(API2Envelope.self, from: data).detail
    }

    static let adminKeys: Set<String> = [
        "id", "incrementId", "orderId", "orderIncrementId", "state", "emailSent", "totalQty", "orderCurrencyCode",
        "baseCurrencyCode", "channelCurrencyCode", "transactionId", "reminders", "nextReminderAt", "createdAt",
        "updatedAt", "orderStatus", "orderStatusLabel", "orderDate", "channelName", "customerName", "customerEmail",
        "billingAddress", "shippingAddress", "items", "order", "comments",
    ]
    static let totalNames = [
        "subTotal", "subTotalInclTax", "grandTotal", "taxAmount", "discountAmount",
        "shippingAmount", "shippingAmountInclTax", "shippingTaxAmount",
    ]
}

struct AdminEnvelope: Decodable {
    let detail: InvoiceDetail

    init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: AnyKey.self)
        let c =
            top.contains(AnyKey("data")) && !top.contains(AnyKey("id"))
            ? try top.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("data")) : top
        let currency = try c.text("orderCurrencyCode") ?? ""
        let base = try c.text("baseCurrencyCode") ?? currency
        func totals(base isBase: Bool) throws -> Totals {
            func money(_ name: String) throws -> Money? {
                let upper = name.prefix(1).uppercased() + name.dropFirst()
                let key = isBase ? "base" + upper : name
                let formatted = try c.text(isBase ? "formattedBase" + upper : "formatted" + upper)
                return try c.money(key, currency: isBase ? base : currency, formatted: formatted)
            }
            return Totals(
                subtotal: try money("subTotal"), subtotalInclTax: try money("subTotalInclTax"),
                discount: try money("discountAmount"), shipping: try money("shippingAmount"),
                shippingInclTax: try money("shippingAmountInclTax"), shippingTax: try money("shippingTaxAmount"),
                tax: try money("taxAmount"), grandTotal: try money("grandTotal"))
        }
        var billing: Address?
        var shipping: Address?
        if let key = c.first(["billingAddress"]), !c.isNull(key) { billing = try c.decode(AddressBody.self, forKey: key).address }
        if let key = c.first(["shippingAddress"]), !c.isNull(key) { shipping = try c.decode(AddressBody.self, forKey: key).address }
        // Newer servers of the family nest them: order.addresses[] with the same addressType values.
        if billing == nil || shipping == nil, let key = c.first(["order"]), !c.isNull(key) {
            let order = try c.nestedContainer(keyedBy: AnyKey.self, forKey: key)
            if let list = order.first(["addresses"]) {
                for address in try order.decode([AddressBody].self, forKey: list).map(\.address) {
                    if address.type == "order_billing" { billing = billing ?? address }
                    if address.type == "order_shipping" { shipping = shipping ?? address }
                }
            }
        }
        var extras: [String: JSONValue] = [:]
        let known = InvoiceDetail.adminKeys.union(
            InvoiceDetail.totalNames.flatMap { name -> [String] in
                let upper = name.prefix(1).uppercased() + name.dropFirst()
                return [name, "formatted" + upper, "base" + upper, "formattedBase" + upper]
            })
        for key in c.allKeys where !known.contains(key.stringValue) {
            extras[key.stringValue] = try? c.decode(JSONValue.self, forKey: key)
        }
        let items =
            try c.first(["items"]).map { key in
                c.isNull(key) ? [] : try c.decode([LineBody].self, forKey: key).map { $0.line(currency: currency, base: base) }
            } ?? []
        detail = InvoiceDetail(
            source: .admin, unavailable: [],
            id: try c.required(c.integer("id"), "id"),
            incrementId: try c.required(c.text("incrementId"), "incrementId"),
            orderId: try c.integer("orderId"), orderIncrementId: try c.text("orderIncrementId"),
            state: try InvoiceSummary.state(c), emailSent: try c.flag("emailSent"), totalQty: try c.decimal("totalQty"),
            orderCurrency: currency, baseCurrency: base, channelCurrency: try c.text("channelCurrencyCode"),
            totals: try totals(base: false), baseTotals: try totals(base: true),
            transactionId: try c.text("transactionId"), reminders: try c.integer("reminders").map(Int.init),
            nextReminderAt: try c.text("nextReminderAt"), createdAt: try c.text("createdAt"), updatedAt: try c.text("updatedAt"),
            orderStatus: try c.text("orderStatus"), orderStatusLabel: try c.text("orderStatusLabel"),
            orderDate: try c.text("orderDate"), channelName: try c.text("channelName"),
            customerName: try c.text("customerName"), customerEmail: try c.text("customerEmail"),
            billingAddress: billing, shippingAddress: shipping, items: items,
            comments: (try? c.decode([CommentBody].self, forKey: AnyKey("comments")).map(\.comment)) ?? [],
            extraFields: extras)
    }
}

private struct AddressBody: Decodable {
    let address: Address
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        address = Address(
            id: try c.integer("id"), type: try c.text("addressType", "address_type"),
            firstName: try c.text("firstName", "first_name"), lastName: try c.text("lastName", "last_name"),
            company: try c.text("companyName", "company_name", "company"), street: try c.text("address", "street", "address1"),
            city: try c.text("city"), region: try c.text("state", "region"), country: try c.text("country"),
            postcode: try c.text("postcode"), email: try c.text("email"), phone: try c.text("phone"))
    }
}

/// An invoice line in either family's spelling, read eagerly so that a bad
/// value fails the decode with its path; money gets its currency afterwards.
private struct LineBody: Decodable {
    let id: Int64?, orderItemId: Int64?, sku: String, name: String, qty: Decimal
    let price: SentAmount?, basePrice: SentAmount?, basePriceInclTax: SentAmount?, total: SentAmount?, baseTotal: SentAmount?
    let baseTotalInclTax: SentAmount?, tax: SentAmount?, discount: SentAmount?
    let formattedPrice: String?, formattedTotal: String?, formattedTax: String?, formattedDiscount: String?
    let productId: Int64?, productType: String?, baseImageUrl: String?, additional: JSONValue?

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.integer("id", "entity_id")
        orderItemId = try c.integer("orderItemId", "order_item_id")
        sku = try c.text("sku") ?? ""
        name = try c.text("name") ?? ""
        qty = try c.decimal("qty") ?? 0
        price = try c.amount(["price"])
        basePrice = try c.amount(["basePrice", "base_price"])
        basePriceInclTax = try c.amount(["basePriceInclTax", "base_price_incl_tax"])
        total = try c.amount(["total", "row_total"])
        baseTotal = try c.amount(["baseTotal", "base_row_total"])
        baseTotalInclTax = try c.amount(["baseTotalInclTax", "base_row_total_incl_tax"])
        tax = try c.amount(["taxAmount", "tax_amount"])
        discount = try c.amount(["discountAmount", "discount_amount"])
        formattedPrice = try c.text("formattedPrice")
        formattedTotal = try c.text("formattedTotal")
        formattedTax = try c.text("formattedTaxAmount")
        formattedDiscount = try c.text("formattedDiscountAmount")
        productId = try c.integer("productId", "product_id")
        productType = try c.text("productType", "product_type")
        baseImageUrl = try c.text("baseImageUrl")
        additional = try c.first(["additional"]).flatMap { c.isNull($0) ? nil : try c.decode(JSONValue.self, forKey: $0) }
    }

    func line(currency: String, base: String) -> InvoiceLine {
        func money(_ amount: SentAmount?, _ code: String, _ formatted: String? = nil) -> Money? {
            amount?.money(code, formatted: formatted)
        }
        return InvoiceLine(
            id: id, orderItemId: orderItemId, sku: sku, name: name, qty: qty,
            price: money(price, currency, formattedPrice), basePrice: money(basePrice, base),
            basePriceInclTax: money(basePriceInclTax, base), total: money(total, currency, formattedTotal),
            baseTotal: money(baseTotal, base), baseTotalInclTax: money(baseTotalInclTax, base),
            taxAmount: money(tax, currency, formattedTax), discountAmount: money(discount, currency, formattedDiscount),
            productId: productId, productType: productType, baseImageUrl: baseImageUrl,
            options: Self.options(additional), additional: additional)
    }

    /// `{"attributes": [{"label": "Size", "value": "M"}]}`, or a flat `{"Size": "M"}`.
    static func options(_ additional: JSONValue?) -> [InvoiceLine.Option] {
        guard let additional else { return [] }
        for listKey in ["attributes", "attributes_info", "options"] {
            if case .array(let entries)? = additional[listKey] {
                return entries.compactMap { entry in
                    guard let label = entry["label"] ?? entry["attribute_name"], let value = entry["value"] ?? entry["option_label"]
                    else { return nil }
                    return .init(label: label.description, value: value.description)
                }
            }
        }
        if case .object(let flat) = additional {
            return flat.keys.sorted().compactMap { key in
                if case .string(let v) = flat[key]! { return .init(label: key, value: v) }
                return nil
            }
        }
        return []
    }
}

private struct CommentBody: Decodable {
    let comment: InvoiceComment
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        comment = InvoiceComment(
            text: try c.text("comment", "text", "body") ?? "", createdAt: try c.text("created_at", "createdAt"),
            customerNotified: try c.flag("is_customer_notified", "customerNotified"))
    }
}

struct API2Envelope: Decodable {
    let detail: InvoiceDetail
    /// The same invoice as a listing row.
    let summary: InvoiceSummary

    init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: AnyKey.self)
        let c = try top.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("invoice"))
        let summary = try top.decode(InvoiceSummary.self, forKey: AnyKey("invoice"))
        self.summary = summary
        let currency = summary.grandTotal.currency
        let base = summary.baseGrandTotal?.currency ?? currency
        func money(_ key: String, _ code: String) throws -> Money? { try c.money(key, currency: code) }
        let totals = Totals(
            subtotal: summary.subtotal, discount: summary.discountAmount, shipping: summary.shippingAmount,
            shippingTax: try money("shipping_tax_amount", currency), tax: summary.taxAmount,
            grandTotal: summary.grandTotal)
        let baseTotals = Totals(
            subtotal: try money("base_subtotal", base), discount: try money("base_discount_amount", base),
            shipping: try money("base_shipping_amount", base),
            shippingTax: try money("base_shipping_tax_amount", base),
            tax: try money("base_tax_amount", base), grandTotal: summary.baseGrandTotal)
        let lines =
            try c.first(["items"]).map { key in
                c.isNull(key) ? [] : try c.decode([LineBody].self, forKey: key).map { $0.line(currency: currency, base: base) }
            } ?? []
        let comments = try c.first(["comments"]).map { try c.decode([CommentBody].self, forKey: $0).map(\.comment) } ?? []
        detail = InvoiceDetail(
            source: .api2,
            unavailable: [
                "billing and shipping addresses", "sales channel", "order status and date", "payment reminders",
                "totals including tax", "product types and options",
            ],
            id: summary.id, incrementId: summary.incrementId, orderId: summary.orderId,
            orderIncrementId: summary.orderIncrementId, state: summary.state, emailSent: summary.emailSent,
            totalQty: summary.totalQty, orderCurrency: currency, baseCurrency: base, channelCurrency: nil,
            totals: totals, baseTotals: baseTotals, transactionId: try c.text("transaction_id"),
            reminders: nil, nextReminderAt: nil, createdAt: summary.createdAt, updatedAt: summary.updatedAt,
            orderStatus: nil, orderStatusLabel: nil, orderDate: nil, channelName: nil,
            customerName: summary.billingName, customerEmail: summary.customerEmail,
            billingAddress: nil, shippingAddress: nil, items: lines, comments: comments, extraFields: [:])
    }
}
