import GRDB

/// Orders in storage: what the order routes read.
struct OrderStore: Sendable {
    let database: any DatabaseWriter

    /// One page of the listing, and its total when pagination was asked for.
    func page(_ query: OrderListQuery) async throws -> (rows: [OrderRow], total: Int?) {
        try await database.read { db in try query.run(db) }
    }

    /// The order `key` names, with its items, what it invoiced and what was
    /// refunded on it, read together; nil if there is none.
    func order(_ key: LookupKey) async throws -> (order: OrderRow, items: [OrderItemRow], refunds: OrderRefunds)? {
        try await database.read { db in
            guard let order = try OrderRow.named(key).fetchOne(db) else { return nil }
            // The grand totals of its invoices but the canceled ones (state 3), summed by SQLite.
            let invoiced = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(grand_total), 0), COALESCE(SUM(base_grand_total), 0)
                    FROM invoices WHERE order_id = ? AND state != 3
                    """, arguments: [order.entityId])
            let refunds = OrderRefunds(
                refunds: try OrderRefundRow.of(order: order.entityId, db), invoiced: invoiced?[0] ?? 0, baseInvoiced: invoiced?[1] ?? 0)
            return (order, try OrderItemRow.of(order: order.entityId).fetchAll(db), refunds)
        }
    }
}
