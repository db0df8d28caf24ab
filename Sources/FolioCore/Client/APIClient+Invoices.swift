import Foundation

extension APIClient {
    /// One page of invoices.
    public func invoices(_ query: InvoiceQuery) async throws(FolioError) -> Page<InvoiceSummary> {
        try query.validate()
        let reply = try await get("/api2/invoice", query: query.queryItems)
        try check(reply, what: "invoices")
        let page = try Self.invoicePage(reply.body, asked: query)
        // A store that ignores the customer filter answers everyone's invoices: never shown as results.
        if let customer = query.customer, !page.items.allSatisfy(customer.matches) {
            throw .cannotSearchByCustomer(asked: customer.label)
        }
        // The same for the numbers: a row of another invoice or order is never shown as a result.
        let numbers = Set(query.invoiceIncrementIds)
        if !numbers.isEmpty, !page.items.allSatisfy({ numbers.contains($0.incrementId) }) {
            throw .storeIgnoredFilter("invoice " + query.invoiceIncrementIds.joined(separator: ", "))
        }
        if let order = query.orderIncrementId, !page.items.allSatisfy({ ($0.orderIncrementId ?? order) == order }) {
            throw .storeIgnoredFilter("of order \(order)")
        }
        return page
    }

    /// A listing answer as the page asked for: without `has_next`, a full page says there may be more.
    static func invoicePage(_ body: Data, asked query: InvoiceQuery) throws(FolioError) -> Page<InvoiceSummary> {
        let envelope = try decode(PageEnvelope<InvoiceSummary>.self, body)
        return envelope.page(asked: query.page, limit: query.limit, hasNext: envelope.items.count == query.limit)
    }

    /// The full invoice by entity id: the admin detail when the server has it,
    /// else the `/api2` lookup with the missing parts named.
    public func invoice(id: Int64) async throws(FolioError) -> InvoiceDetail {
        if adminDetail.known != false, let detail = try await adminInvoice(id: id) { return detail }
        return try await api2Invoice(id: id).detail
    }

    /// The full invoice by its number (what people type).
    public func invoice(number: String) async throws(FolioError) -> InvoiceDetail {
        let trimmed = number.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .invalidInput("the invoice number is empty") }
        let reply = try await get("/api2/invoice", query: [("increment_id", trimmed)])
        try check(reply, what: "invoice \(trimmed)")
        let api2 = try Self.decode(API2Envelope.self, reply.body).detail
        if adminDetail.known != false, let detail = try await adminInvoice(id: api2.id) { return detail }
        return api2
    }

    /// nil when the server has no admin endpoint or refuses it (403): the caller falls back.
    private func adminInvoice(id: Int64) async throws(FolioError) -> InvoiceDetail? {
        let reply = try await get("/api/admin/invoices/\(id)")
        switch reply.status {
        case 200..<300:
            adminDetail.set(true)
            return try Self.decode(AdminEnvelope.self, reply.body).detail
        case 403, 405, 501:
            adminDetail.set(false)
            return nil
        case 404:
            // 404 on a route that exists says "Invoice not found"; on a missing route, anything else.
            let text = ErrorBody(reply.body, status: 404).message
            if text.localizedCaseInsensitiveContains("invoice") { throw .notFound(what: "invoice \(id)") }
            adminDetail.set(false)
            return nil
        default:
            throw failure(reply, what: "invoice \(id)")
        }
    }

    /// An order with its items, by number.
    public func order(number: String) async throws(FolioError) -> Order {
        let trimmed = number.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .invalidInput("the order number is empty") }
        return try await order(query: [("increment_id", trimmed)], what: "order \(trimmed)")
    }

    public func order(id: Int64) async throws(FolioError) -> Order {
        try await order(query: [("id", String(id))], what: "order \(id)")
    }

    private func order(query: [(String, String)], what: String) async throws(FolioError) -> Order {
        let reply = try await get("/api2/order", query: query)
        try check(reply, what: what)
        return try Self.orderAnswer(reply.body)
    }

    /// The `/api2/order` look-up, `{"order": {…}}`.
    static func orderAnswer(_ body: Data) throws(FolioError) -> Order {
        try decode(OrderEnvelope.self, body).order
    }

    /// A page of orders; `invoiceable` keeps those with something left to invoice.
    public func orders(
        page: Int = 1, limit: Int = 20, invoiceable: Bool = false, search: String? = nil
    )
        async throws(FolioError) -> Page<Order>
    {
        var query: [(String, String)] = [("page", String(page)), ("limit", String(limit)), ("include_pagination", "1")]
        if invoiceable { query.append(("can_invoice", "1")) }
        if let search, !search.isEmpty { query.append(("increment_id[]", search)) }
        let reply = try await get("/api2/order", query: query)
        try check(reply, what: "orders")
        return try Self.orderPage(reply.body, page: page, limit: limit)
    }

    /// An order listing; without `has_next` there is no next page.
    static func orderPage(_ body: Data, page: Int, limit: Int) throws(FolioError) -> Page<Order> {
        try decode(PageEnvelope<Order>.self, body).page(asked: page, limit: limit, hasNext: false)
    }
}

private struct OrderEnvelope: Decodable { let order: Order }
