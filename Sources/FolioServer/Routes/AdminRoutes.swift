import Hummingbird

/// `GET /api/admin/invoices/{id}`: the whole invoice in one call, for callers
/// holding `sales.invoices.view`.
struct AdminRoutes {
    let env: ServerEnvironment

    func register(on router: Router<Context>) {
        router.get("/api/admin/invoices/:id") { request, context in
            let principal = try await env.access.authenticate(request)
            guard principal.permissions.contains("sales.invoices.view") else { throw APIError.forbidden }
            guard let id = context.parameters.get("id").flatMap(RequestInput.wholeNumber),
                  let invoice = try await env.invoices.invoiceWithOrder(id: id) else { throw APIError.invoiceNotFound }
            return Response.json(AdminInvoiceJSON.make(invoice))
        }
    }
}
