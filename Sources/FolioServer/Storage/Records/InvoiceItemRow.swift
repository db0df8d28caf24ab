import GRDB

struct InvoiceItemRow: AutoIncrementedRecord, Sendable {
    static let databaseTableName = "invoice_items"
    var entityId: Int64?
    var invoiceId: Int64
    var orderItemId: Int64
    var sku: String
    var name: String
    var qty: Int64
    var price: Int64, basePrice: Int64
    var rowTotal: Int64, baseRowTotal: Int64
    var taxAmount: Int64, baseTaxAmount: Int64
    var discountAmount: Int64, baseDiscountAmount: Int64
    /// What credit memos took back of this line: the quantity, and the amounts
    /// (each the line's amount pro-rated over the quantity refunded, rounded;
    /// see `CreditMemoCalculator`).
    var qtyRefunded: Int64 = 0
    var rowRefunded: Int64 = 0, baseRowRefunded: Int64 = 0
    var taxRefunded: Int64 = 0, baseTaxRefunded: Int64 = 0
    var discountRefunded: Int64 = 0, baseDiscountRefunded: Int64 = 0

    /// Invoiced less refunded: what a credit memo may still take.
    var qtyToRefund: Int64 { qty - qtyRefunded }

    mutating func didInsert(_ inserted: InsertionSuccess) { entityId = inserted.rowID }

    enum Columns {
        static let entityId = Column("entity_id")
        static let invoiceId = Column("invoice_id")
    }

    /// An invoice's lines, in the order they were written.
    static func of(invoice invoiceId: Int64) -> QueryInterfaceRequest<InvoiceItemRow> {
        filter { $0.invoiceId == invoiceId }.order(\.entityId)
    }
}
