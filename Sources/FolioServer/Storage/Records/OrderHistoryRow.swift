import GRDB

/// One entry of an order's history (the vendor's "Status & order history"):
/// a comment, a status change or one of the server's own events.
struct OrderHistoryRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "order_history"
    var id: Int64?
    var orderId: Int64
    var comment: String?
    var status: String?
    var isCustomerNotified: Bool
    var isVisibleOnFront: Bool
    var createdAt: String
    var source: Source

    /// Who or what made the entry.
    enum Source: String, Codable, Sendable, DatabaseValueConvertible {
        case system, invoice, email, creditmemo, integration
    }

    enum Columns {
        static let id = Column("id")
        static let orderId = Column("order_id")
    }

    /// An order's entries, newest first.
    static func of(order orderId: Int64) -> QueryInterfaceRequest<OrderHistoryRow> {
        filter(Columns.orderId == orderId).order(Columns.id.desc)
    }

    /// A server event: not shown to the customer, notified only when an email went out.
    static func event(
        _ comment: String, order: Int64, source: Source, notified: Bool = false, status: String? = nil,
        at time: String
    ) -> OrderHistoryRow {
        OrderHistoryRow(
            id: nil, orderId: order, comment: comment, status: status, isCustomerNotified: notified,
            isVisibleOnFront: false, createdAt: time, source: source)
    }

    /// What the invoices already in the store say, as history: each one's
    /// creation and, when sent, its email (at the invoice's time). For a
    /// store seeded, or created, before the history existed.
    static func recordInvoicesSoFar(_ db: Database) throws {
        // SQL: one pass over the invoices, in the store's own order (the query interface has no INSERT … SELECT).
        try db.execute(
            sql: """
                INSERT INTO order_history (order_id, comment, status, is_customer_notified, is_visible_on_front, created_at, source)
                SELECT order_id, comment, NULL, notified, 0, created_at, source FROM (
                    SELECT order_id, 'Invoice ' || increment_id || ' created' AS comment, 0 AS notified, created_at,
                           'invoice' AS source, entity_id, 0 AS step FROM invoices
                    UNION ALL
                    SELECT order_id, 'Invoice ' || increment_id || ' emailed to ' || customer_email, 1, created_at,
                           'email', entity_id, 1 FROM invoices WHERE email_sent = 1
                ) ORDER BY created_at, entity_id, step
                """)
    }
}
