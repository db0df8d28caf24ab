import GRDB

struct OutboxRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "outbox"
    var id: Int64?
    var invoiceId: Int64
    var incrementId: String
    var recipient: String
    var comment: String?
    var sentAt: String
    /// Set when the email is a credit memo's (`incrementId` is then the credit memo's number).
    var creditmemoId: Int64? = nil

    enum Columns {
        static let id = Column("id")
        static let invoiceId = Column("invoice_id")
        static let creditmemoId = Column("creditmemo_id")
    }
}
