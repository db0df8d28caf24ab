import Hummingbird

/// `/api2/creditmemo`: create a credit memo (`POST`, also at `/create`), and
/// look one up (`GET`, a Folio extension: the vendor's API has no credit memo
/// look-up). It reads and writes through `CreditMemoStore`.
struct CreditMemoController: Sendable {
    let access: AccessControl
    let creditMemos: CreditMemoStore
    let idempotency: Idempotency
    let faults: FaultSwitches

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: show)
            .post(use: create)
            .post("create", use: create)
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        _ = try await access.authenticate(request)
        let input = try await RequestInput.read(request)
        let key: LookupKey
        switch (try input.integer("id"), try input.text("increment_id")) {
        case (let id?, nil): key = .id(id)
        case (nil, let number?): key = .incrementId(number)
        case (nil, nil): throw APIError(.badRequest, "id or increment_id is required")
        case (.some, .some): throw APIError(.badRequest, "Use either id or increment_id")
        }
        guard let detail = try await creditMemos.creditMemo(key) else { throw APIError.creditMemoNotFound }
        return .json(.object([("creditmemo", CreditMemoJSON.make(detail))]))
    }

    /// As invoice create: the fault switches that lose a create's request or
    /// its answer apply here too.
    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        let principal = try await access.authenticate(request)
        if faults.current.dropBeforeCreate { return ConnectionDropHandler.drop(Response(status: .internalServerError)) }
        return try await idempotency.answer(request, principal: principal, route: "creditmemo") { request, claim in
            let input = try await RequestInput.read(request)
            let created = try await creditMemos.create(try CreateCreditMemoRequest(input), claim: claim)
            let dropping = faults.current.dropAfterCreate
            // Read after the email went out: the answer (and the one a key keeps) is the final one.
            guard let detail = try await creditMemos.creditMemo(.id(created)) else { throw APIError.unexpected }
            let response = Response.json(.object([("creditmemo", CreditMemoJSON.make(detail))]), status: .created)
            return dropping ? ConnectionDropHandler.drop(response) : response
        }
    }
}
