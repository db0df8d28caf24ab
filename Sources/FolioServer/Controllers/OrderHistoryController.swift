import Hummingbird

/// `/api2/history` (no plural alias): an order's history, newest first, and
/// entries added to it. It reads and writes through `OrderHistoryStore`.
struct OrderHistoryController: Sendable {
    let access: AccessControl
    let history: OrderHistoryStore
    let idempotency: Idempotency

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: list)
            .post(use: add)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        _ = try await access.authenticate(request)
        let key = try OrderHistoryRequest.order(try await RequestInput.read(request), aliases: true)
        guard let entries = try await history.entries(of: key) else { throw APIError.orderNotFound }
        return .json(.object([("history", .array(entries.map(Api2JSON.historyEntry)))]))
    }

    @Sendable func add(_ request: Request, context: Context) async throws -> Response {
        let principal = try await access.authenticate(request)
        return try await idempotency.answer(request, principal: principal, route: "history") { request, claim in
            let entry = try await history.add(OrderHistoryRequest(try await RequestInput.read(request)), claim: claim)
            return .json(.object([("entry", Api2JSON.historyEntry(entry))]), status: .created)
        }
    }
}
