import GRDB

/// Orders in storage: what the order routes read.
struct OrderStore: Sendable {
    let database: any DatabaseWriter

    /// One page of the listing, and its total when pagination was asked for.
    func page(_ query: OrderListQuery) async throws -> (rows: [OrderRow], total: Int?) {
        try await database.read { db in try query.run(db) }
    }

    /// The order `key` names, with its items; nil if there is none.
    func order(_ key: LookupKey) async throws -> (order: OrderRow, items: [OrderItemRow])? {
        try await database.read { db in
            guard let order = try OrderRow.named(key).fetchOne(db) else { return nil }
            return (order, try OrderItemRow.of(order: order.entityId).fetchAll(db))
        }
    }
}
