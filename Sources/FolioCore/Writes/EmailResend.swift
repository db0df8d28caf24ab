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
            evenIfPending: evenIfPending, documentedRefusals: [Self.emailFailure],
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

/// A resend as the support desk makes it: the customer-facing comment, and
/// for the order's history who sent it, whether again, and why.
public struct Resend: Sendable, Equatable {
    public var invoiceId: Int64
    public var invoiceNumber: String
    /// The invoice's order: where the note goes (no note without one).
    public var orderNumber: String?
    public var recipient: String?
    public var comment: String?
    /// It was sent before (the note says "again").
    public var again: Bool
    /// Why it goes again within the window (checked by `ResendPolicy.checkedReason`).
    public var reason: String?
    public var clerk: String

    public init(
        invoiceId: Int64, invoiceNumber: String, orderNumber: String?, recipient: String?, comment: String?,
        again: Bool, reason: String?, clerk: String
    ) {
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.orderNumber = orderNumber
        self.recipient = recipient
        self.comment = comment
        self.again = again
        self.reason = reason
        self.clerk = clerk
    }
}

/// A resend that is done, and what became of its note.
public struct ResendReport: Sendable, Equatable {
    public let resent: ResentEmail
    /// nil when the invoice names no order (nowhere to note it).
    public let note: Result<AddedNote, FolioError>?

    public init(resent: ResentEmail, note: Result<AddedNote, FolioError>?) {
        self.resent = resent
        self.note = note
    }
}

extension APIClient {
    /// Resends, then leaves an internal note on the order saying so, with
    /// the resend's reference. When the store says the email failed (its
    /// documented 500, or an accepted resend with `email_sent` false) the
    /// note says it failed, and the failure is what the caller gets. A note
    /// that cannot be added never changes what is said of the email.
    public func resend(
        _ resend: Resend, journal: WriteJournal, evenIfPending: Bool = false
    ) async throws(FolioError)
        -> ResendReport
    {
        let reference = OperationReference.make()
        func text(failure: String?) -> String {
            ResendPolicy.note(
                invoice: resend.invoiceNumber, to: resend.recipient, by: resend.clerk, resend: reference,
                again: resend.again, reason: resend.reason, failure: failure)
        }
        // The note must be one the store takes before the email goes: never a mail without its note.
        if resend.orderNumber != nil {
            _ = try NoteText.checked(text(failure: nil))
            _ = try NoteText.checked(text(failure: Self.notSent))
        }
        func note(failure: String?) async -> Result<AddedNote, FolioError>? {
            guard let order = resend.orderNumber else { return nil }
            let text = text(failure: failure)
            do throws(FolioError) {
                return .success(try await addNote(orderNumber: order, text: text, aboutInvoice: resend.invoiceNumber, journal: journal))
            } catch {
                return .failure(error)
            }
        }
        let resent: ResentEmail
        do throws(FolioError) {
            resent = try await resendEmail(
                invoiceId: resend.invoiceId, invoiceNumber: resend.invoiceNumber, comment: resend.comment, journal: journal,
                evenIfPending: evenIfPending, reference: reference)
        } catch {
            if case .server(500, let message) = error, message == Self.emailFailure {
                _ = await note(failure: message)
            }
            throw error
        }
        return ResendReport(
            resent: resent, note: await note(failure: resent.emailSent ? nil : Self.notSent))
    }

    /// The API's documented text for a resend whose mail did not go out.
    static let emailFailure = "Email could not be sent"
    /// The note's words when the store took a resend but did not send it.
    static let notSent = "the email was not sent (email_sent is 0)"
}
