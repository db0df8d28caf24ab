import Foundation

/// An order as the create screen needs it: who, how it is paid, and for each
/// item what was ordered, invoiced, canceled and what remains to invoice.
public struct Order: Sendable, Hashable, Identifiable, Decodable {
    public let id: Int64
    public let incrementId: String
    public let status: String?
    public let state: String?
    public let createdAt: String?
    public let customerName: String?
    public let customerEmail: String?
    public let currency: String
    public let baseCurrency: String
    public let paymentMethod: String?
    public let canInvoice: Bool?
    public let grandTotal: Money?
    public let baseGrandTotal: Money?
    /// Empty in a listing; filled by a lookup.
    public let items: [OrderItem]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(c.integer("entity_id", "id"), "entity_id")
        incrementId = try c.required(c.text("increment_id", "incrementId"), "increment_id")
        status = try c.text("status")
        state = try c.text("state")
        createdAt = try c.text("created_at", "createdAt")
        customerName = try c.text("customer_name", "customerName")
        customerEmail = try c.text("customer_email", "customerEmail")
        let currency = try c.text("order_currency_code", "orderCurrencyCode") ?? ""
        let baseCurrency = try c.text("base_currency_code", "baseCurrencyCode") ?? currency
        self.currency = currency
        self.baseCurrency = baseCurrency
        paymentMethod = try c.text("payment_method", "paymentMethod")
        canInvoice = try c.flag("can_invoice", "canInvoice")
        grandTotal = try c.money("grand_total", "grandTotal", currency: currency)
        baseGrandTotal = try c.money("base_grand_total", "baseGrandTotal", currency: baseCurrency)
        if let key = c.first(["items"]), !c.isNull(key) {
            var list = try c.nestedUnkeyedContainer(forKey: key)
            var items: [OrderItem] = []
            while !list.isAtEnd { items.append(try OrderItem(from: list.superDecoder(), currency: currency)) }
            self.items = items
        } else {
            items = []
        }
    }
}

public struct OrderItem: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let sku: String
    public let name: String
    public let productType: String?
    /// Sold by length or weight: may be invoiced in fractions.
    public let isQtyDecimal: Bool
    public let qtyOrdered: Decimal
    public let qtyInvoiced: Decimal
    public let qtyCanceled: Decimal
    public let qtyRefunded: Decimal
    /// What an invoice may still take: ordered − invoiced − canceled.
    public let qtyToInvoice: Decimal
    public let price: Money?
    public let taxAmount: Money?
    public let discountAmount: Money?
    public let rowTotal: Money?

    init(from decoder: any Decoder, currency: String) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(c.integer("item_id", "id", "order_item_id"), "item_id")
        sku = try c.text("sku") ?? ""
        name = try c.text("name") ?? ""
        productType = try c.text("product_type", "productType")
        isQtyDecimal = try c.flag("is_qty_decimal", "isQtyDecimal") ?? false
        qtyOrdered = try c.decimal("qty_ordered", "qtyOrdered") ?? 0
        qtyInvoiced = try c.decimal("qty_invoiced", "qtyInvoiced") ?? 0
        qtyCanceled = try c.decimal("qty_canceled", "qtyCanceled") ?? 0
        qtyRefunded = try c.decimal("qty_refunded", "qtyRefunded") ?? 0
        // A server that omits qty_to_invoice gets it computed by the contract's rule.
        qtyToInvoice = try c.decimal("qty_to_invoice", "qtyToInvoice") ?? max(0, qtyOrdered - qtyInvoiced - qtyCanceled)
        price = try c.money("price", currency: currency)
        taxAmount = try c.money("tax_amount", "taxAmount", currency: currency)
        discountAmount = try c.money("discount_amount", "discountAmount", currency: currency)
        rowTotal = try c.money("row_total", "rowTotal", currency: currency)
    }
}
