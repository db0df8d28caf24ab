import GRDB

/// A credit memo: money given back against an invoice (or an order's invoices).
struct CreditMemoRow: AutoIncrementedRecord, Sendable {
    static let databaseTableName = "creditmemos"
    var entityId: Int64?
    var incrementId: String
    var orderId: Int64
    var orderIncrementId: String
    /// The source invoice; for an order source, the first of the order's invoices it refunds.
    var invoiceId: Int64
    var invoiceIncrementId: String
    /// `invoice` or `order`: what the request named.
    var source: String
    var refundType: String
    var transactionId: String?
    /// 2 refunded (the vendor's 1 open and 3 canceled are never made here).
    var state: Int
    var emailSent: Bool
    var subtotal: Int64, baseSubtotal: Int64
    var taxAmount: Int64, baseTaxAmount: Int64
    var discountAmount: Int64, baseDiscountAmount: Int64
    var shippingAmount: Int64, baseShippingAmount: Int64
    var shippingTaxAmount: Int64, baseShippingTaxAmount: Int64
    var adjustmentPositive: Int64, baseAdjustmentPositive: Int64
    var adjustmentNegative: Int64, baseAdjustmentNegative: Int64
    var grandTotal: Int64, baseGrandTotal: Int64
    var totalQty: Int64
    var orderCurrencyCode: String
    var baseCurrencyCode: String
    var createdAt: String
    var updatedAt: String

    mutating func didInsert(_ inserted: InsertionSuccess) { entityId = inserted.rowID }

    enum Columns {
        static let entityId = Column("entity_id")
        static let incrementId = Column("increment_id")
    }

    /// The credit memo `key` names.
    static func named(_ key: LookupKey) -> QueryInterfaceRequest<CreditMemoRow> {
        filter(key.condition(id: Columns.entityId, number: Columns.incrementId))
    }
}

/// One invoice line's part of a credit memo.
struct CreditMemoItemRow: AutoIncrementedRecord, Sendable {
    static let databaseTableName = "creditmemo_items"
    var entityId: Int64?
    var creditmemoId: Int64
    var invoiceId: Int64
    var invoiceItemId: Int64
    var orderItemId: Int64
    var sku: String
    var name: String
    var qty: Int64
    var price: Int64, basePrice: Int64
    var rowTotal: Int64, baseRowTotal: Int64
    var taxAmount: Int64, baseTaxAmount: Int64
    var discountAmount: Int64, baseDiscountAmount: Int64

    mutating func didInsert(_ inserted: InsertionSuccess) { entityId = inserted.rowID }

    enum Columns {
        static let entityId = Column("entity_id")
        static let creditmemoId = Column("creditmemo_id")
    }

    /// A credit memo's lines, in the order they were written.
    static func of(creditmemo id: Int64) -> QueryInterfaceRequest<CreditMemoItemRow> {
        filter(Columns.creditmemoId == id).order(Columns.entityId)
    }
}

struct CreditMemoCommentRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "creditmemo_comments"
    var id: Int64?
    var creditmemoId: Int64
    var comment: String
    var isCustomerNotified: Bool
    var createdAt: String

    enum Columns {
        static let id = Column("id")
        static let creditmemoId = Column("creditmemo_id")
        static let isCustomerNotified = Column("is_customer_notified")
    }

    /// A credit memo's comments, oldest first.
    static func of(creditmemo id: Int64) -> QueryInterfaceRequest<CreditMemoCommentRow> {
        filter(Columns.creditmemoId == id).order(Columns.id)
    }
}

/// What was refunded against one invoice; no row is all zeros.
struct InvoiceRefundRow: SnakeCaseRecord, Sendable, Equatable {
    static let databaseTableName = "invoice_refunds"
    var invoiceId: Int64
    var totalRefunded: Int64 = 0, baseTotalRefunded: Int64 = 0
    var shippingRefunded: Int64 = 0, baseShippingRefunded: Int64 = 0
    var shippingTaxRefunded: Int64 = 0, baseShippingTaxRefunded: Int64 = 0

    enum Columns {
        static let invoiceId = Column("invoice_id")
    }

    /// The invoice's tallies, zero when nothing was refunded against it yet.
    static func of(invoice id: Int64, _ db: Database) throws -> InvoiceRefundRow {
        try fetchOne(db, key: id) ?? InvoiceRefundRow(invoiceId: id)
    }
}

/// What was refunded on one order, every credit memo summed; no row is all zeros.
struct OrderRefundRow: SnakeCaseRecord, Sendable, Equatable {
    static let databaseTableName = "order_refunds"
    var orderId: Int64
    var totalRefunded: Int64 = 0, baseTotalRefunded: Int64 = 0
    var subtotalRefunded: Int64 = 0, baseSubtotalRefunded: Int64 = 0
    var taxRefunded: Int64 = 0, baseTaxRefunded: Int64 = 0
    var discountRefunded: Int64 = 0, baseDiscountRefunded: Int64 = 0
    var shippingRefunded: Int64 = 0, baseShippingRefunded: Int64 = 0
    var shippingTaxRefunded: Int64 = 0, baseShippingTaxRefunded: Int64 = 0
    var adjustmentPositive: Int64 = 0, baseAdjustmentPositive: Int64 = 0
    var adjustmentNegative: Int64 = 0, baseAdjustmentNegative: Int64 = 0

    /// The order's tallies, zero when nothing was refunded on it yet.
    static func of(order id: Int64, _ db: Database) throws -> OrderRefundRow {
        try fetchOne(db, key: id) ?? OrderRefundRow(orderId: id)
    }
}
