import Hummingbird

/// `/api2/order` (alias `/api2/orders`): what the create screen needs to know
/// of an order before invoicing it. It reads through `OrderStore`.
struct OrderRoutes {
    let env: ServerEnvironment

    func register(on router: Router<Context>) {
        for base in ["/api2/order", "/api2/orders"] {
            router.get(RouterPath(base)) { request, _ in try await list(request) }
        }
    }

    func list(_ request: Request) async throws -> Response {
        _ = try await env.access.authenticate(request)
        let input = try await RequestInput.read(request)
        // Read first, so that a look-up does not pass over a bad parameter in silence.
        let query = try OrderListQuery(input)
        if let key = try input.lookupKey() {
            guard let found = try await env.orders.order(key) else { throw APIError.orderNotFound }
            return .json(.object([("order", Api2JSON.orderDetail(found.order, items: found.items))]))
        }
        let (rows, total) = try await env.orders.page(query)
        return .json(query.listing.body("orders", rows.map { .object(Api2JSON.orderSummary($0)) }, total: total))
    }
}
