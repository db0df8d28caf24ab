import Foundation

/// A resend that is known to be done.
public struct ResentEmail: Sendable, Equatable {
    public let reference: OperationReference
    /// The invoice's `email_sent` afterwards, as the store says.
    public let emailSent: Bool
    public let reconciled: Bool

    public init(reference: OperationReference, emailSent: Bool, reconciled: Bool) {
        self.reference = reference
        self.emailSent = emailSent
        self.reconciled = reconciled
    }
}

extension APIClient {
    /// Resends an invoice's email as a journaled write: the comment carries
    /// the reference (a resend without a comment of the clerk's still sends
    /// one, the marker alone), so that a lost answer can be settled by finding
    /// it on the invoice. `500 Email could not be sent` is the API's
    /// documented "nothing changed" and counts as refused.
    public func resendEmail(
        invoiceId: Int64, invoiceNumber: String, comment: String?, journal: WriteJournal,
        evenIfPending: Bool = false, reference: OperationReference = .make()
    )
        async throws(FolioError) -> ResentEmail
    {
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let trimmed, trimmed.count > OperationReference.commentRoom {
            throw .invalidInput(
                "the comment is too long: at most \(OperationReference.commentRoom) characters (Folio adds the operation reference)")
        }
        let object: [String: Any] = ["invoice_id": invoiceId, "comment": reference.marked(trimmed)]
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        let intent = JournalEntry.Intent(
            kind: .invoiceEmail, profile: settings.profile, invoiceId: invoiceId, invoiceNumber: invoiceNumber,
            summary: ["resend the email of invoice \(invoiceNumber)", "comment: \(trimmed?.isEmpty == false ? trimmed! : "(none)")"],
            body: String(decoding: body, as: UTF8.self))
        let (sent, reconciled) = try await journaledWrite(
            intent, path: "/api2/invoice/email", body: body, reference: reference, journal: journal,
            evenIfPending: evenIfPending, documentedRefusals: ["Email could not be sent"],
            read: { data throws(FolioError) in
                let sent = try Self.emailAnswer(data, invoiceId: invoiceId)
                return (
                    sent, sent ? "email of invoice \(invoiceNumber) sent" : "accepted, but the store says the email was not sent",
                    .init(id: invoiceId, number: invoiceNumber)
                )
            },
            whenFound: { _ in true })
        return ResentEmail(reference: reference, emailSent: sent, reconciled: reconciled)
    }

    /// The store's `email_sent` after a resend, read as the family writes
    /// flags (1, "1", true). An answer without it, with success false, or
    /// about another invoice is no proof either way.
    static func emailAnswer(_ data: Data, invoiceId: Int64) throws(FolioError) -> Bool {
        struct Sent: Decodable {
            let success: Bool?
            let emailSent: Bool?
            let invoiceId: Int64?
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: AnyKey.self)
                success = try c.flag("success")
                emailSent = try c.flag("email_sent", "emailSent")
                invoiceId = try c.integer("invoice_id", "invoiceId")
            }
        }
        let answer = try decode(Sent.self, data)
        guard answer.success != false, let sent = answer.emailSent else {
            throw .malformedResponse(field: "email_sent", reason: answer.success == false ? "success is false" : "missing")
        }
        // The answer must be about this invoice (the API names it).
        guard answer.invoiceId == invoiceId else {
            throw .malformedResponse(field: "invoice_id", reason: "\(answer.invoiceId.map(String.init) ?? "missing"), not \(invoiceId)")
        }
        return sent
    }
}
