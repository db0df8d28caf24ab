import Hummingbird

/// `/api2/customers` (no singular alias): look up one customer by `id` or
/// `email` (exact, caseless), or, with neither, list them. It reads through
/// `CustomerStore`.
struct CustomerController: Sendable {
    let access: AccessControl
    let customers: CustomerStore

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: list)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        _ = try await access.authenticate(request)
        let input = try await RequestInput.read(request)
        // Read first, so that a look-up does not pass over a bad parameter in silence.
        let query = try CustomerListQuery(input)
        let id = try input.integer("id")
        let email = try SearchText.filter(input, "email", key: SearchText.emailKey)
        let key: CustomerStore.Key
        switch (id, email) {
        case (nil, nil):
            let (rows, total) = try await customers.page(query)
            return .json(query.listing.body("customers", rows.map(Api2JSON.customer), total: total))
        case (let id?, nil): key = .id(id)
        case (nil, let email?): key = .email(key: email)
        case (_?, _?): throw APIError(.badRequest, "Use either id or email")
        }
        guard let customer = try await customers.customer(key) else { throw APIError.customerNotFound }
        return .json(.object([("customer", Api2JSON.customer(customer))]))
    }
}
