import GRDB

struct InvoiceRow: AutoIncrementedRecord, Sendable {
    static let databaseTableName = "invoices"
    var entityId: Int64?
    var incrementId: String
    var orderId: Int64
    var orderIncrementId: String
    /// 1 open, 2 paid, 3 canceled.
    var state: Int
    /// The admin family's finer state: pending, pending_payment, overdue, paid, canceled.
    var paymentStatus: String
    var captureMode: String
    var transactionId: String?
    var emailSent: Bool
    var subtotal: Int64, baseSubtotal: Int64
    var taxAmount: Int64, baseTaxAmount: Int64
    var discountAmount: Int64, baseDiscountAmount: Int64
    var shippingAmount: Int64, baseShippingAmount: Int64
    var shippingTaxAmount: Int64, baseShippingTaxAmount: Int64
    var grandTotal: Int64, baseGrandTotal: Int64
    /// 10^(4 − minor digits of the order currency); see `Schema`.
    var faceFactor: Int64
    var totalQty: Int64
    var orderCurrencyCode: String
    var baseCurrencyCode: String
    var billingName: String
    var customerEmail: String
    var reminders: Int
    var nextReminderAt: String?
    var createdAt: String
    var updatedAt: String
    /// The customer of `customerEmail` and the distinct name of `billingName`
    /// (see `CustomerRow`, `BillingNameRow`): what the listing's customer
    /// filters search by. Set on insert; no write changes either text after.
    var customerId: Int64? = nil
    var billingNameId: Int64? = nil

    mutating func willInsert(_ db: Database) throws {
        customerId =
            try CustomerRow.withEmail(customerEmail).select(\.id, as: Int64.self).fetchOne(db)
            ?? CustomerRow.record(email: customerEmail, name: billingName, at: createdAt, db)
        billingNameId = try BillingNameRow.id(of: billingName, db)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { entityId = inserted.rowID }

    enum Columns {
        static let entityId = Column("entity_id")
        static let incrementId = Column("increment_id")
        static let createdAt = Column("created_at")
        static let updatedAt = Column("updated_at")
        /// Generated: `grand_total` in ten-thousandths of any currency, for sorting (see `Schema`).
        static let grandTotalFace = Column("grand_total_face")
        static let customerId = Column("customer_id")
        static let billingNameId = Column("billing_name_id")
    }

    /// The invoice `key` names.
    static func named(_ key: LookupKey) -> QueryInterfaceRequest<InvoiceRow> {
        filter(key.condition(id: Columns.entityId, number: Columns.incrementId))
    }
}

extension InvoiceRow {
    /// A new invoice of `order` with the calculated `totals`.
    init(
        entityId: Int64?, incrementId: String, orderId: Int64, orderIncrementId: String, state: Int,
        paymentStatus: String, captureMode: String, transactionId: String?, emailSent: Bool,
        totals: InvoiceCalculator.Totals, order: OrderRow, billingName: String, createdAt: String
    ) {
        self.init(
            entityId: entityId, incrementId: incrementId, orderId: orderId, orderIncrementId: orderIncrementId,
            state: state, paymentStatus: paymentStatus, captureMode: captureMode, transactionId: transactionId,
            emailSent: emailSent,
            subtotal: totals.subtotal, baseSubtotal: totals.baseSubtotal,
            taxAmount: totals.taxAmount, baseTaxAmount: totals.baseTaxAmount,
            discountAmount: totals.discountAmount, baseDiscountAmount: totals.baseDiscountAmount,
            shippingAmount: totals.shippingAmount, baseShippingAmount: totals.baseShippingAmount,
            shippingTaxAmount: totals.shippingTaxAmount, baseShippingTaxAmount: totals.baseShippingTaxAmount,
            grandTotal: totals.grandTotal, baseGrandTotal: totals.baseGrandTotal,
            faceFactor: Currency.of(order.orderCurrencyCode).faceFactor, totalQty: totals.totalQty,
            orderCurrencyCode: order.orderCurrencyCode, baseCurrencyCode: order.baseCurrencyCode,
            billingName: billingName, customerEmail: order.customerEmail,
            reminders: 0, nextReminderAt: nil, createdAt: createdAt, updatedAt: createdAt)
    }
}
