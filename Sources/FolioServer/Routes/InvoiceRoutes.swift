import GRDB
import Hummingbird

/// `/api2/invoice` and its alias `/api2/invoices`: list, look up, create, email.
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
        if let id = try input.integer("id") {
            return try await lookup(.id(id))
        }
        let increments = try input.list("increment_id")
        if let increments, let single = increments.first, try !input.isList("increment_id") {
            return try await lookup(.incrementId(single))
        }
        return try await env.database.read { db in
            let (rows, total) = try query.run(db)
            var fields: [(String, JSON)] = [("invoices", .array(rows.map { .object(Api2JSON.invoiceSummary($0)) }))]
            if let total { fields += query.listing.paginationFields(total: total) }
            return .json(.object(fields))
        }
    }

    enum InvoiceKey: Sendable { case id(Int64), incrementId(String) }

    func lookup(_ key: InvoiceKey) async throws -> Response {
        let detail: JSON? = try await env.database.read { db in
            let row: InvoiceRow? = switch key {
            case .id(let id): try InvoiceRow.fetchOne(db, key: id)
            case .incrementId(let inc): try InvoiceRow.filter(Column("increment_id") == inc).fetchOne(db)
            }
            guard let row, let id = row.entityId else { return nil }
            return try Self.detail(db, row: row, id: id)
        }
        guard let detail else { throw APIError.invoiceNotFound }
        return .json(.object([("invoice", detail)]))
    }

    static func detail(_ db: Database, row: InvoiceRow, id: Int64) throws -> JSON {
        let items = try InvoiceItemRow.filter(Column("invoice_id") == id).order(Column("entity_id")).fetchAll(db)
        let comments = try InvoiceCommentRow.filter(Column("invoice_id") == id).order(Column("id")).fetchAll(db)
        return Api2JSON.invoiceDetail(row, items: items, comments: comments)
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
        let body: JSON = try await env.database.read { db in
            guard let row = try InvoiceRow.fetchOne(db, key: created.invoiceId) else { throw APIError.unexpected }
            return .object([("invoice", try Self.detail(db, row: row, id: created.invoiceId))])
        }
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
            guard let id = try await env.database.read({ db in
                try Int64.fetchOne(db, sql: "SELECT entity_id FROM invoices WHERE increment_id = ?", arguments: [value])
            }) else { throw APIError.invoiceNotFound }
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
