import GRDB

/// Orders' histories in storage: the entries integrations and clerks add,
/// read newest first. The server's own events are written by the store that
/// makes them, in the same transaction as what they record.
struct OrderHistoryStore: Sendable {
    let database: any DatabaseWriter
    let clock: @Sendable () -> String

    /// The order's entries, newest first; nil when there is no such order.
    func entries(of key: LookupKey) async throws -> [OrderHistoryRow]? {
        try await database.read { db in
            guard let order = try OrderRow.named(key).fetchOne(db) else { return nil }
            return try OrderHistoryRow.of(order: order.entityId).fetchAll(db)
        }
    }

    /// Adds an entry, and sets the order's status when it names one, in one
    /// transaction (which claims the request's idempotency key, if any).
    func add(_ request: OrderHistoryRequest, claim: IdempotencyClaim?) async throws -> OrderHistoryRow {
        let now = clock()
        return try await database.write(claiming: claim) { db in
            guard var order = try OrderRow.named(request.order).fetchOne(db) else { throw APIError.orderNotFound }
            if let status = request.status, status != order.status {
                order.status = status
                order.updatedAt = now
                try order.update(db)
            }
            var entry = OrderHistoryRow(
                id: nil, orderId: order.entityId, comment: request.comment, status: request.status,
                isCustomerNotified: request.isCustomerNotified, isVisibleOnFront: request.isVisibleOnFront,
                createdAt: now, source: .integration)
            try entry.insert(db)
            entry.id = db.lastInsertedRowID
            return entry
        }
    }
}
