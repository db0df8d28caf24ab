import GRDB

struct InvoiceCommentRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "invoice_comments"
    var id: Int64?
    var invoiceId: Int64
    var comment: String
    var isCustomerNotified: Bool
    var createdAt: String

    enum Columns {
        static let id = Column("id")
        static let invoiceId = Column("invoice_id")
        static let isCustomerNotified = Column("is_customer_notified")
    }

    /// An invoice's comments, oldest first.
    static func of(invoice invoiceId: Int64) -> QueryInterfaceRequest<InvoiceCommentRow> {
        filter { $0.invoiceId == invoiceId }.order(\.id)
    }
}
