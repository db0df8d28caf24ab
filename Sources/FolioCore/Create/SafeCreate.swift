import Foundation

/// What became of a create.
public struct CreatedInvoice: Sendable {
    public let invoice: InvoiceSummary
    /// The answer was lost (timeout, dropped connection) and the invoice was
    /// found afterwards among the order's invoices.
    public let reconciled: Bool
    /// Email was asked for and the store says it was not sent: offer the resend.
    public let emailNotSent: Bool

    public init(invoice: InvoiceSummary, reconciled: Bool, emailNotSent: Bool) {
        self.invoice = invoice
        self.reconciled = reconciled
        self.emailNotSent = emailNotSent
    }
}

extension APIClient {
    /// Creates an invoice, never twice.
    ///
    /// A create is not retried by itself. When its answer is lost (a timeout or
    /// a dropped connection), the order's invoices are listed and compared with
    /// those from before the request: one new invoice with the planned
    /// quantities means it was created; none means it was not, and it is safe
    /// to try again.
    public func createInvoice(_ plan: CapturePlan) async throws(FolioError) -> CreatedInvoice {
        let before = Set(try await orderInvoices(plan.orderNumber).map(\.id))
        let reply: Reply
        do {
            reply = try await send(.post, "/api2/invoice/create", json: plan.body)
        } catch let lost where Self.answerMayBeLost(lost) {
            return try await reconcile(plan, before: before, cause: lost)
        }
        try check(reply, what: "order \(plan.orderNumber)")
        struct Envelope: Decodable { let invoice: InvoiceSummary }
        let invoice = try Self.decode(Envelope.self, reply.body).invoice
        return CreatedInvoice(invoice: invoice, reconciled: false,
                              emailNotSent: plan.sendEmail && invoice.emailSent == false)
    }

    static func answerMayBeLost(_ error: FolioError) -> Bool {
        switch error {
        case .timeout, .network: return true
        default: return false
        }
    }

    /// A server that timed out may still be working on the request, so "not
    /// created" is said only after the order has shown no new invoice for the
    /// whole grace period.
    private func reconcile(_ plan: CapturePlan, before: Set<Int64>, cause: FolioError) async throws(FolioError) -> CreatedInvoice {
        let clock = ContinuousClock(), deadline = clock.now + settings.reconcileGrace
        var new: [InvoiceSummary] = []
        while true {
            new = try await orderInvoices(plan.orderNumber).filter { !before.contains($0.id) }
            if !new.isEmpty || clock.now >= deadline { break }
            do { try await Task.sleep(for: .milliseconds(250)) } catch { break }
        }
        guard !new.isEmpty else { throw .notCreated(order: plan.orderNumber, cause: cause.message) }
        // Prefer the new invoice whose lines are exactly the plan's quantities.
        var match: InvoiceSummary?
        for candidate in new {
            let detail = try await invoice(id: candidate.id)
            let invoiced = Dictionary(detail.items.compactMap { line in line.orderItemId.map { ($0, line.qty) } }, uniquingKeysWith: +)
            if invoiced == plan.quantities { match = candidate; break }
        }
        guard let found = match ?? (new.count == 1 ? new.first : nil) else {
            throw .conflict(message: "the answer was lost and order \(plan.orderNumber) has \(new.count) new invoices; which is ours is unclear — check the order before retrying")
        }
        return CreatedInvoice(invoice: found, reconciled: true, emailNotSent: plan.sendEmail && found.emailSent == false)
    }

    /// Every invoice of an order (orders have few).
    func orderInvoices(_ orderNumber: String) async throws(FolioError) -> [InvoiceSummary] {
        var query = InvoiceQuery()
        query.orderIncrementId = orderNumber
        query.limit = 200
        return try await invoices(query).items
    }
}
