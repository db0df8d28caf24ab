import GRDB
import Hummingbird

/// `/api2/order` (alias `/api2/orders`): what the create screen needs to know
/// of an order before invoicing it.
struct OrderRoutes {
    let env: ServerEnvironment
    static let sortable = ["entity_id": "entity_id", "created_at": "created_at", "increment_id": "increment_id",
                           "grand_total": "grand_total_face"]

    func register(on router: Router<Context>) {
        for base in ["/api2/order", "/api2/orders"] {
            router.get(RouterPath(base)) { request, _ in try await list(request) }
        }
    }

    func list(_ request: Request) async throws -> Response {
        _ = try await env.access.authenticate(request)
        let input = try await RequestInput.read(request)
        // Read first, so that a look-up does not pass over a bad parameter in silence.
        var listing = try Listing(input, sortable: Self.sortable)
        let increments = try input.list("increment_id")
        let statuses = try input.list("status")
        let canInvoice = input.has("can_invoice") ? try input.flag("can_invoice") : nil
        if let id = try input.integer("id") {
            return try await lookup { try OrderRow.fetchOne($0, key: id) }
        }
        if let increments, let single = increments.first, try !input.isList("increment_id") {
            return try await lookup { try OrderRow.filter(Column("increment_id") == single).fetchOne($0) }
        }

        if let increments, !increments.isEmpty { listing.addIn("increment_id", increments) }
        if let statuses, !statuses.isEmpty { listing.addIn("status", statuses) }
        if let canInvoice { listing.add("can_invoice = ?", [canInvoice]) }
        let query = listing
        return try await env.database.read { db in
            let rows = try OrderRow.fetchAll(db, sql: query.pageSQL(table: "orders"), arguments: query.arguments)
            var fields: [(String, JSON)] = [("orders", .array(rows.map { .object(Api2JSON.orderSummary($0)) }))]
            if query.includePagination {
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders" + query.whereClause,
                                             arguments: query.arguments) ?? 0
                fields += query.paginationFields(total: total)
            }
            return .json(.object(fields))
        }
    }

    private func lookup(_ find: @escaping @Sendable (Database) throws -> OrderRow?) async throws -> Response {
        let detail: JSON? = try await env.database.read { db in
            guard let order = try find(db) else { return nil }
            let items = try OrderItemRow.filter(Column("order_id") == order.entityId).order(Column("item_id")).fetchAll(db)
            return Api2JSON.orderDetail(order, items: items)
        }
        guard let detail else { throw APIError.orderNotFound }
        return .json(.object([("order", detail)]))
    }
}
