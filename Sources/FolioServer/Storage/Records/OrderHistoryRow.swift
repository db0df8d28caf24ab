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

    /// What a store already says, as history, for a store seeded or created
    /// before the history existed: each invoice's creation, each email the
    /// outbox holds (at its own time, with its comment), each canceled
    /// invoice, and each order's status when it is not the first one.
    static func recordWhatTheStoreSays(_ db: Database) throws {
        // SQL: one INSERT … SELECT over the store in time order (the query interface has none).
        try db.execute(
            sql: """
                INSERT INTO order_history (order_id, comment, status, is_customer_notified, is_visible_on_front, created_at, source)
                SELECT order_id, comment, status, notified, 0, at, source FROM (
                    SELECT order_id, 'Invoice ' || increment_id || ' created' AS comment, NULL AS status, 0 AS notified,
                           created_at AS at, 'invoice' AS source, entity_id AS ordinal, 0 AS step FROM invoices
                    UNION ALL
                    SELECT i.order_id, 'Invoice ' || o.increment_id || ' emailed to ' || o.recipient || COALESCE(': ' || o.comment, ''),
                           NULL, 1, o.sent_at, 'email', o.id, 1
                    FROM outbox o JOIN invoices i ON i.entity_id = o.invoice_id
                    UNION ALL
                    SELECT order_id, 'Invoice ' || increment_id || ' canceled', NULL, 0, updated_at, 'invoice', entity_id, 2
                    FROM invoices WHERE state = 3
                    UNION ALL
                    SELECT entity_id, 'Status changed to ' || status, status, 0, updated_at, 'system', entity_id, 3
                    FROM orders WHERE status <> 'pending'
                ) ORDER BY at, step, ordinal
                """)
    }
}
