import Foundation

/// What became of a create that is known to be done.
public struct CreatedInvoice: Sendable, Equatable {
    public let invoice: InvoiceSummary
    /// The write's reference, as the journal and the invoice's comment carry it.
    public let reference: OperationReference
    /// The answer was lost and the invoice was found afterwards by its reference.
    public let reconciled: Bool
    /// Email was asked for and the store says it was not sent: offer the resend.
    public let emailNotSent: Bool

    public init(invoice: InvoiceSummary, reference: OperationReference, reconciled: Bool, emailNotSent: Bool) {
        self.invoice = invoice
        self.reference = reference
        self.reconciled = reconciled
        self.emailNotSent = emailNotSent
    }
}

extension APIClient {
    /// Creates an invoice, never twice, and never claims what it cannot prove.
    ///
    /// The write is journaled before it is sent and carries `reference` as its
    /// `Idempotency-Key` and in its comment. It is sent once. A definite answer
    /// is done or refused; anything else is looked for by the reference (never
    /// by "a new invoice appeared") and, if not found, thrown as
    /// `outcomeUnknown` and left open in the journal. An earlier create on the
    /// same order whose outcome is unknown refuses this one (`pendingWrite`)
    /// unless `evenIfPending`.
    public func createInvoice(
        _ plan: CapturePlan, journal: WriteJournal, evenIfPending: Bool = false,
        reference: OperationReference = .make()
    ) async throws(FolioError) -> CreatedInvoice {
        let body = plan.body(reference: reference)
        let (invoice, reconciled) = try await journaledWrite(
            plan.intent(profile: settings.profile, body: body), path: "/api2/invoice/create", body: body,
            reference: reference, journal: journal, evenIfPending: evenIfPending,
            documentedRefusals: ["Payment gateway error"],
            read: { data throws(FolioError) in
                let invoice = try Self.verify(data, answers: plan, reference: reference)
                return (invoice, "invoice \(invoice.incrementId)", .init(id: invoice.id, number: invoice.incrementId))
            },
            whenFound: { $0.invoice })
        return CreatedInvoice(
            invoice: invoice, reference: reference, reconciled: reconciled,
            emailNotSent: plan.sendEmail && invoice.emailSent == false)
    }

    /// A 2xx is taken as this create's answer only if it is one: an invoice
    /// of the plan's order, with a number, carrying this write's marker, and
    /// the plan's lines where the answer shows them. Anything else (another
    /// clerk's invoice served by a confused cache, an empty shell) is not
    /// proof, and the write is looked for by its reference instead.
    static func verify(_ data: Data, answers plan: CapturePlan, reference: OperationReference) throws(FolioError) -> InvoiceSummary {
        let answer = try decode(API2Envelope.self, data)
        let invoice = answer.summary
        guard invoice.id > 0, !invoice.incrementId.isEmpty else {
            throw .malformedResponse(field: "invoice", reason: "no invoice number")
        }
        guard invoice.orderIncrementId == plan.orderNumber else {
            throw .malformedResponse(
                field: "invoice.order_increment_id",
                reason: "\(invoice.orderIncrementId ?? "none"), not order \(plan.orderNumber)")
        }
        // The marker is the proof; an answer without comments is confirmed by the look-up instead.
        guard answer.detail.comments.contains(where: { OperationReference.marking($0.text) == reference }) else {
            throw .malformedResponse(field: "invoice.comments", reason: "no comment carries ref \(reference)")
        }
        let asked = plan.quantities.reduce(into: [String: Decimal]()) { $0[String($1.key)] = $1.value }.filter { $0.value != 0 }
        if !answer.detail.items.isEmpty, !lines(of: answer.detail, include: asked) {
            throw .malformedResponse(field: "invoice.items", reason: "the lines differ from the plan")
        }
        return invoice
    }
}
