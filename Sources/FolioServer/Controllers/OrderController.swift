import Hummingbird

/// `/api2/order` (mounted at its alias too; see `ReferenceServer.application`):
/// what the create screen needs to know of an order before invoicing it.
/// It reads through `OrderStore`.
struct OrderController: Sendable {
    let access: AccessControl
    let orders: OrderStore

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: list)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        _ = try await access.authenticate(request)
        let input = try await RequestInput.read(request)
        // Read first, so that a look-up does not pass over a bad parameter in silence.
        let query = try OrderListQuery(input)
        if let key = try input.lookupKey() {
            guard let found = try await orders.order(key) else { throw APIError.orderNotFound }
            return .json(.object([("order", Api2JSON.orderDetail(found.order, items: found.items, refunds: found.refunds))]))
        }
        let (rows, total) = try await orders.page(query)
        return .json(query.listing.body("orders", rows.map { .object(Api2JSON.orderSummary($0)) }, total: total))
    }
}
