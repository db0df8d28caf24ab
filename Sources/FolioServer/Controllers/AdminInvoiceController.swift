import Hummingbird

/// `GET /api/admin/invoices/{id}`: the whole invoice in one call, for callers
/// holding `sales.invoices.view`.
struct AdminInvoiceController: Sendable {
    let access: AccessControl
    let invoices: InvoiceStore

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(":id", use: show)
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        _ = try await access.authorize(request, "sales.invoices.view")
        guard let id = context.parameters.get("id").flatMap(RequestInput.wholeNumber),
            let invoice = try await invoices.invoiceWithOrder(id: id)
        else { throw APIError.invoiceNotFound }
        return .json(AdminInvoiceJSON.make(invoice))
    }
}
