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
    public func createInvoice(_ plan: CapturePlan, journal: WriteJournal, evenIfPending: Bool = false,
                              reference: OperationReference = .make()) async throws(FolioError) -> CreatedInvoice {
        let body = plan.body(reference: reference)
        let (invoice, reconciled) = try await journaledWrite(
            plan.intent(profile: settings.profile, body: body), path: "/api2/invoice/create", body: body,
            reference: reference, journal: journal, evenIfPending: evenIfPending,
            documentedRefusals: ["Payment gateway error"],
            read: { data throws(FolioError) in
                struct Envelope: Decodable { let invoice: InvoiceSummary }
                let invoice = try Self.decode(Envelope.self, data).invoice
                return (invoice, "invoice \(invoice.incrementId)", .init(id: invoice.id, number: invoice.incrementId))
            },
            whenFound: { $0 })
        return CreatedInvoice(invoice: invoice, reference: reference, reconciled: reconciled,
                              emailNotSent: plan.sendEmail && invoice.emailSent == false)
    }
}
