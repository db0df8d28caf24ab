import GRDB

struct OrderItemRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "order_items"
    var itemId: Int64
    var orderId: Int64
    var sku: String
    var name: String
    var productId: Int64
    var productType: String
    var isQtyDecimal: Bool
    var qtyOrdered: Int64
    var qtyInvoiced: Int64
    var qtyCanceled: Int64
    var qtyRefunded: Int64
    var price: Int64, basePrice: Int64
    var rowTotal: Int64, baseRowTotal: Int64
    var taxAmount: Int64, baseTaxAmount: Int64
    var discountAmount: Int64, baseDiscountAmount: Int64
    var rowInvoiced: Int64, baseRowInvoiced: Int64
    var taxInvoiced: Int64, baseTaxInvoiced: Int64
    var discountInvoiced: Int64, baseDiscountInvoiced: Int64
    /// JSON text: selected options and configurable attributes.
    var additional: String?
    var baseImageUrl: String?
    /// What credit memos took back of the item (with `qtyRefunded`), summed over its invoice lines.
    var rowRefunded: Int64 = 0, baseRowRefunded: Int64 = 0
    var taxRefunded: Int64 = 0, baseTaxRefunded: Int64 = 0
    var discountRefunded: Int64 = 0, baseDiscountRefunded: Int64 = 0

    /// Ordered less invoiced less canceled: what an invoice may still take.
    var qtyToInvoice: Quantity { Quantity(scaled: qtyOrdered - qtyInvoiced - qtyCanceled) }

    enum Columns {
        static let itemId = Column("item_id")
        static let orderId = Column("order_id")
    }

    /// An order's items, in item order.
    static func of(order orderId: Int64) -> QueryInterfaceRequest<OrderItemRow> {
        filter { $0.orderId == orderId }.order(\.itemId)
    }
}
