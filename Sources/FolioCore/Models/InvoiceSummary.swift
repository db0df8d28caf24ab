import Foundation

/// One row of an invoice listing: enough to find an invoice and see where it stands.
public struct InvoiceSummary: Sendable, Hashable, Identifiable, Decodable {
    public let id: Int64
    public let incrementId: String
    public let orderId: Int64?
    public let orderIncrementId: String?
    public let state: InvoiceState
    public let grandTotal: Money
    public let baseGrandTotal: Money?
    public let subtotal: Money?
    public let taxAmount: Money?
    public let shippingAmount: Money?
    public let discountAmount: Money?
    public let totalQty: Decimal?
    public let emailSent: Bool?
    public let billingName: String?
    public let customerEmail: String?
    /// `YYYY-MM-DD HH:MM:SS`, as the server sends it.
    public let createdAt: String?
    public let updatedAt: String?

    /// A row made in code (tests, a freshly created invoice).
    public init(
        id: Int64, incrementId: String, orderId: Int64? = nil, orderIncrementId: String? = nil,
        state: InvoiceState, grandTotal: Money, baseGrandTotal: Money? = nil, emailSent: Bool? = nil,
        billingName: String? = nil, customerEmail: String? = nil, createdAt: String? = nil, updatedAt: String? = nil
    ) {
        self.id = id
        self.incrementId = incrementId
        self.orderId = orderId
        self.orderIncrementId = orderIncrementId
        self.state = state
        self.grandTotal = grandTotal
        self.baseGrandTotal = baseGrandTotal
        subtotal = nil
        taxAmount = nil
        shippingAmount = nil
        discountAmount = nil
        totalQty = nil
        self.emailSent = emailSent
        self.billingName = billingName
        self.customerEmail = customerEmail
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(c.integer("entity_id", "id"), "entity_id")
        incrementId = try c.required(c.text("increment_id", "incrementId"), "increment_id")
        orderId = try c.integer("order_id", "orderId")
        orderIncrementId = try c.text("order_increment_id", "orderIncrementId")
        state = try Self.state(c)
        let currency = try c.text("order_currency_code", "orderCurrencyCode") ?? ""
        let base = try c.text("base_currency_code", "baseCurrencyCode") ?? currency
        func money(_ names: String..., in code: String) throws -> Money? {
            guard let key = c.first(names) else { return nil }
            return try c.amount([key.stringValue])?.money(code)
        }
        grandTotal = try c.required(money("grand_total", "grandTotal", in: currency), "grand_total")
        baseGrandTotal = try money("base_grand_total", "baseGrandTotal", in: base)
        subtotal = try money("subtotal", "subTotal", in: currency)
        taxAmount = try money("tax_amount", "taxAmount", in: currency)
        shippingAmount = try money("shipping_amount", "shippingAmount", in: currency)
        discountAmount = try money("discount_amount", "discountAmount", in: currency)
        totalQty = try c.decimal("total_qty", "totalQty")
        emailSent = try c.flag("email_sent", "emailSent")
        billingName = try c.text("billing_name", "customerName")
        customerEmail = try c.text("customer_email", "customerEmail")
        createdAt = try c.text("created_at", "createdAt")
        updatedAt = try c.text("updated_at", "updatedAt")
    }

    /// A number is the `/api2` family's state; text is the admin family's.
    static func state(_ c: KeyedDecodingContainer<AnyKey>) throws -> InvoiceState {
        let key = AnyKey("state")
        guard c.contains(key), !c.isNull(key) else { return .unknown("") }
        if let code = try? c.decode(Int.self, forKey: key) { return InvoiceState(code: code) }
        let text = try c.decode(String.self, forKey: key)
        if let code = Int(text) { return InvoiceState(code: code) }
        return InvoiceState(text: text)
    }
}

/// A page of a listing, with the server's pagination metadata when it sent it.
public struct Page<Element: Sendable>: Sendable {
    public let items: [Element]
    public let page: Int
    public let limit: Int
    public let total: Int?
    public let lastPage: Int?
    public let hasNext: Bool

    public init(items: [Element], page: Int, limit: Int, total: Int?, lastPage: Int?, hasNext: Bool) {
        self.items = items
        self.page = page
        self.limit = limit
        self.total = total
        self.lastPage = lastPage
        self.hasNext = hasNext
    }
}

/// `{"invoices": […], "page": …, "total": …}` or the orders' twin.
struct PageEnvelope<Element: Decodable & Sendable>: Decodable {
    let items: [Element]
    let page: Int?, limit: Int?, total: Int?, lastPage: Int?, hasNext: Bool?

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let key = c.first(["invoices", "orders", "items", "data"]) else {
            throw DecodingError.keyNotFound(AnyKey("invoices"), .init(codingPath: [], debugDescription: "no list in the answer"))
        }
        items = try c.decode([Element].self, forKey: key)
        page = try c.integer("page", "current_page").map(Int.init)
        limit = try c.integer("limit", "per_page").map(Int.init)
        total = try c.integer("total").map(Int.init)
        lastPage = try c.integer("last_page").map(Int.init)
        hasNext = try c.flag("has_next")
    }

    /// The page as Folio uses it, impossible numbers dropped: a page below 1
    /// is the one asked for, a negative total or a last page below 1 unknown.
    func page(asked: Int, limit limitAsked: Int, hasNext fallback: Bool) -> Page<Element> {
        Page(
            items: items, page: page.flatMap { $0 >= 1 ? $0 : nil } ?? asked,
            limit: limit.flatMap { $0 >= 1 ? $0 : nil } ?? limitAsked,
            total: total.flatMap { $0 >= 0 ? $0 : nil }, lastPage: lastPage.flatMap { $0 >= 1 ? $0 : nil },
            hasNext: hasNext ?? fallback)
    }
}
