import GRDB

struct OutboxRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "outbox"
    var id: Int64?
    var invoiceId: Int64
    var incrementId: String
    var recipient: String
    var comment: String?
    var sentAt: String

    enum Columns {
        static let id = Column("id")
        static let invoiceId = Column("invoice_id")
    }
}
