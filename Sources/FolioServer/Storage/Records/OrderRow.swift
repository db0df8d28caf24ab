import GRDB

struct OrderRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "orders"
    var entityId: Int64
    var incrementId: String
    var state: String
    var status: String
    var createdAt: String
    var updatedAt: String
    var customerName: String
    var customerEmail: String
    var channelName: String
    var orderCurrencyCode: String
    var baseCurrencyCode: String
    var paymentMethod: String
    var subtotal: Int64, baseSubtotal: Int64
    var taxAmount: Int64, baseTaxAmount: Int64
    var discountAmount: Int64, baseDiscountAmount: Int64
    var shippingAmount: Int64, baseShippingAmount: Int64
    var shippingTaxAmount: Int64, baseShippingTaxAmount: Int64
    var grandTotal: Int64, baseGrandTotal: Int64
    /// 10^(4 − minor digits of the order currency); see `Schema`.
    var faceFactor: Int64
    var shippingInvoiced: Bool
    var canInvoice: Bool

    enum Columns {
        static let entityId = Column("entity_id")
        static let incrementId = Column("increment_id")
        static let status = Column("status")
        static let createdAt = Column("created_at")
        static let canInvoice = Column("can_invoice")
        /// Generated: `grand_total` in ten-thousandths of any currency, for sorting (see `Schema`).
        static let grandTotalFace = Column("grand_total_face")
    }

    /// Every order has its customer (`CustomerRow`).
    func willInsert(_ db: Database) throws {
        try CustomerRow.record(email: customerEmail, name: customerName, at: createdAt, db)
    }

    /// The order `key` names.
    static func named(_ key: LookupKey) -> QueryInterfaceRequest<OrderRow> {
        filter(key.condition(id: Columns.entityId, number: Columns.incrementId))
    }

    /// The name on the order's billing address, or else the customer's.
    func billingName(_ db: Database) throws -> String {
        let billing = try AddressRow.filter { $0.orderId == entityId && $0.addressType == "order_billing" }.fetchOne(db)
        return billing.map { "\($0.firstName) \($0.lastName)" } ?? customerName
    }
}
