import Hummingbird

/// `/api2/invoice` and its alias `/api2/invoices`: list, look up, create, email.
/// It reads and writes through `InvoiceStore`.
struct InvoiceRoutes {
    let env: ServerEnvironment

    func register(on router: Router<Context>) {
        for base in ["/api2/invoice", "/api2/invoices"] {
            router.get(RouterPath(base)) { request, _ in try await list(request) }
            router.post(RouterPath(base + "/create")) { request, _ in try await create(request) }
            router.post(RouterPath(base + "/email")) { request, _ in try await email(request) }
        }
    }

    // MARK: List and look up

    func list(_ request: Request) async throws -> Response {
        _ = try await env.access.authenticate(request)
        let input = try await RequestInput.read(request)
        // Read first, so that a look-up does not pass over a bad parameter in silence.
        let query = try InvoiceListQuery(input)
        if let key = try input.lookupKey() {
            guard let detail = try await env.invoices.invoice(key) else { throw APIError.invoiceNotFound }
            return .json(.object([("invoice", Api2JSON.invoiceDetail(detail))]))
        }
        let (rows, total) = try await env.invoices.page(query)
        return .json(query.listing.body("invoices", rows.map { .object(Api2JSON.invoiceSummary($0)) }, total: total))
    }

    // MARK: Create and email

    func create(_ request: Request) async throws -> Response {
        let principal = try await env.access.authenticate(request)
        if env.faults.current.dropBeforeCreate {
            var lost = Response(status: .internalServerError)
            lost.headers[ConnectionDropHandler.marker] = "1"
            return lost
        }
        return try await env.idempotency.answer(request, principal: principal, route: "invoice/create") { request, claim in
            try await create(request, claim: claim)
        }
    }

    private func create(_ request: Request, claim: IdempotencyClaim?) async throws -> Response {
        let input = try await RequestInput.read(request)
        let createRequest = try CreateInvoiceRequest(input)
        let created = try await env.invoices.create(createRequest, claim: claim)
        let dropping = env.faults.current.dropAfterCreate
        // Read after the email went out: the answer (and the one a key keeps) is the final one.
        guard let detail = try await env.invoices.invoice(.id(created.invoiceId)) else { throw APIError.unexpected }
        let body: JSON = .object([("invoice", Api2JSON.invoiceDetail(detail))])
        var response = Response.json(body, status: .created)
        if dropping { response.headers[ConnectionDropHandler.marker] = "1" }
        return response
    }

    func email(_ request: Request) async throws -> Response {
        let principal = try await env.access.authenticate(request)
        return try await env.idempotency.answer(request, principal: principal, route: "invoice/email") { request, claim in
            try await email(request, claim: claim)
        }
    }

    private func email(_ request: Request, claim: IdempotencyClaim?) async throws -> Response {
        let input = try await RequestInput.read(request)
        let given = try ["invoice_id", "id", "increment_id"].compactMap { name in try input.text(name).map { (name, $0) } }
        guard given.count == 1, let (name, value) = given.first else {
            throw APIError(.badRequest, given.isEmpty ? "invoice_id, id or increment_id is required"
                                                      : "Use only one of invoice_id, id or increment_id")
        }
        let comment = try input.note("comment")
        let invoiceId: Int64
        if name == "increment_id" {
            guard let id = try await env.invoices.invoiceId(incrementId: value) else { throw APIError.invoiceNotFound }
            invoiceId = id
        } else {
            guard let id = RequestInput.wholeNumber(value) else { throw APIError.invalidParameter(name, "expected a whole number") }
            invoiceId = id
        }
        let invoice = try await env.invoices.sendEmail(invoiceId: invoiceId, comment: comment, claim: claim)
        return .json(.object([("success", .bool(true)), ("invoice_id", .optional(invoice.entityId)),
                              ("email_sent", .int(invoice.emailSent ? 1 : 0))]))
    }
}
