import GRDB
import Hummingbird

/// `GET /api/admin/invoices/{id}`: the whole invoice in one call, for callers
/// holding `sales.invoices.view`.
struct AdminRoutes {
    let env: ServerEnvironment

    func register(on router: Router<Context>) {
        router.get("/api/admin/invoices/:id") { request, context in
            let principal = try await env.access.authenticate(request)
            guard principal.permissions.contains("sales.invoices.view") else { throw APIError.forbidden }
            guard let id = context.parameters.get("id").flatMap(RequestInput.wholeNumber) else { throw APIError.invoiceNotFound }
            let body: JSON? = try await env.database.read { db in
                guard let invoice = try InvoiceRow.fetchOne(db, key: id),
                      let order = try OrderRow.fetchOne(db, key: invoice.orderId) else { return nil }
                let addresses = try AddressRow.filter(Column("order_id") == order.entityId).fetchAll(db)
                let items = try InvoiceItemRow.filter(Column("invoice_id") == id).order(Column("entity_id")).fetchAll(db)
                let orderItems = try OrderItemRow.filter(Column("order_id") == order.entityId).fetchAll(db)
                return AdminInvoiceJSON.make(.init(
                    invoice: invoice, order: order, addresses: addresses, items: items,
                    orderItems: Dictionary(uniqueKeysWithValues: orderItems.map { ($0.itemId, $0) })))
            }
            guard let body else { throw APIError.invoiceNotFound }
            return Response.json(body)
        }
    }
}
