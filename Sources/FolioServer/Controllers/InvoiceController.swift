import Hummingbird

/// `/api2/invoice` (mounted at its alias too; see `ReferenceServer.application`):
/// list, look up, create, email. It reads and writes through `InvoiceStore`.
struct InvoiceController: Sendable {
    let access: AccessControl
    let invoices: InvoiceStore
    let idempotency: Idempotency
    let faults: FaultSwitches

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: list)
            .post("create", use: create)
            .post("email", use: email)
    }

    // MARK: List and look up

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        _ = try await access.authenticate(request)
        let input = try await RequestInput.read(request)
        // Read first, so that a look-up does not pass over a bad parameter in silence.
        let query = try InvoiceListQuery(input)
        if let key = try input.lookupKey() {
            guard let detail = try await invoices.invoice(key) else { throw APIError.invoiceNotFound }
            return .json(.object([("invoice", Api2JSON.invoiceDetail(detail))]))
        }
        let (rows, total) = try await invoices.page(query)
        return .json(query.listing.body("invoices", rows.map { .object(Api2JSON.invoiceSummary($0)) }, total: total))
    }

    // MARK: Create and email

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        let principal = try await access.authenticate(request)
        if faults.current.dropBeforeCreate { return ConnectionDropHandler.drop(Response(status: .internalServerError)) }
        return try await idempotency.answer(request, principal: principal, route: "invoice/create") { request, claim in
            try await createInvoice(request, claim: claim)
        }
    }

    private func createInvoice(_ request: Request, claim: IdempotencyClaim?) async throws -> Response {
        let input = try await RequestInput.read(request)
        let created = try await invoices.create(try CreateInvoiceRequest(input), claim: claim)
        let dropping = faults.current.dropAfterCreate
        // Read after the email went out: the answer (and the one a key keeps) is the final one.
        guard let detail = try await invoices.invoice(.id(created.invoiceId)) else { throw APIError.unexpected }
        let response = Response.json(.object([("invoice", Api2JSON.invoiceDetail(detail))]), status: .created)
        return dropping ? ConnectionDropHandler.drop(response) : response
    }

    @Sendable func email(_ request: Request, context: Context) async throws -> Response {
        let principal = try await access.authenticate(request)
        return try await idempotency.answer(request, principal: principal, route: "invoice/email") { request, claim in
            try await sendEmail(request, claim: claim)
        }
    }

    private func sendEmail(_ request: Request, claim: IdempotencyClaim?) async throws -> Response {
        let input = try await RequestInput.read(request)
        let (name, value) = try input.exactlyOne(of: ["invoice_id", "id", "increment_id"])
        let comment = try input.note("comment")
        let invoiceId: Int64
        if name == "increment_id" {
            guard let id = try await invoices.invoiceId(incrementId: value) else { throw APIError.invoiceNotFound }
            invoiceId = id
        } else {
            invoiceId = try RequestInput.id(value, named: name)
        }
        let invoice = try await invoices.sendEmail(invoiceId: invoiceId, comment: comment, claim: claim)
        return .json(
            .object([
                ("success", .bool(true)), ("invoice_id", .optional(invoice.entityId)),
                ("email_sent", .int(invoice.emailSent ? 1 : 0)),
            ]))
    }
}
