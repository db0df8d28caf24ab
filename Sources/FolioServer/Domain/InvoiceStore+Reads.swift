import GRDB

/// What the invoice routes read.
extension InvoiceStore {
    /// One page of the listing, and its total when pagination was asked for.
    func page(_ query: InvoiceListQuery) async throws -> (rows: [InvoiceRow], total: Int?) {
        try await database.read { db in try query.run(db) }
    }

    /// The invoice `key` names, with its lines and comments; nil if there is none.
    func invoice(_ key: LookupKey) async throws -> InvoiceDetail? {
        try await database.read { db in
            guard let invoice = try InvoiceRow.named(key).fetchOne(db), let id = invoice.entityId else { return nil }
            return InvoiceDetail(
                invoice: invoice, items: try InvoiceItemRow.of(invoice: id).fetchAll(db),
                comments: try InvoiceCommentRow.of(invoice: id).fetchAll(db),
                refunds: try InvoiceRefundRow.fetchOne(db, key: id))
        }
    }

    /// The entity id of the invoice numbered `incrementId`.
    func invoiceId(incrementId: String) async throws -> Int64? {
        try await database.read { db in
            try InvoiceRow.named(.incrementId(incrementId)).select(\.entityId, as: Int64.self).fetchOne(db)
        }
    }

    /// The invoice with its order, the order's addresses and items: the admin detail.
    func invoiceWithOrder(id: Int64) async throws -> InvoiceWithOrder? {
        try await database.read { db in
            guard let invoice = try InvoiceRow.named(.id(id)).fetchOne(db),
                let order = try OrderRow.named(.id(invoice.orderId)).fetchOne(db)
            else { return nil }
            let orderItems = try OrderItemRow.filter { $0.orderId == order.entityId }.fetchAll(db)
            return InvoiceWithOrder(
                invoice: invoice, order: order,
                addresses: try AddressRow.filter { $0.orderId == order.entityId }.fetchAll(db),
                items: try InvoiceItemRow.of(invoice: id).fetchAll(db),
                orderItems: Dictionary(uniqueKeysWithValues: orderItems.map { ($0.itemId, $0) }),
                refunds: try InvoiceRefundRow.fetchOne(db, key: id))
        }
    }

    /// The emails sent (the sandbox's outbox), oldest first; of one invoice
    /// (its own emails, not its credit memos') or one credit memo if given.
    func sentEmails(invoiceId: Int64?, creditMemoId: Int64? = nil) async throws -> [OutboxRow] {
        try await database.read { db in
            var request = OutboxRow.order(\.id)
            if let invoiceId { request = request.filter { $0.invoiceId == invoiceId && $0.creditmemoId == nil } }
            if let creditMemoId { request = request.filter { $0.creditmemoId == creditMemoId } }
            return try request.fetchAll(db)
        }
    }
}
