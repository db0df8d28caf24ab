import Foundation

/// The client's readers of what a store sends, callable on bytes alone: the
/// very functions `APIClient` runs on an answer after a request, so that the
/// fuzzer (`Fuzz/`) can feed them answers no reference server would give.
/// Not part of Folio's API; `@_spi(Fuzzing) import FolioCore` reaches it.
@_spi(Fuzzing) public enum StoreAnswers {
    /// `GET /api2/invoice` (a listing) as the page asked for.
    public static func invoicePage(_ body: Data, page: Int, limit: Int) throws(FolioError) -> Page<InvoiceSummary> {
        var query = InvoiceQuery()
        query.page = page
        query.limit = limit
        return try APIClient.invoicePage(body, asked: query)
    }

    /// `GET /api2/order` (a listing).
    public static func orderPage(_ body: Data, page: Int, limit: Int) throws(FolioError) -> Page<Order> {
        try APIClient.orderPage(body, page: page, limit: limit)
    }

    /// `GET /api2/order?increment_id=…`.
    public static func order(_ body: Data) throws(FolioError) -> Order {
        try APIClient.orderAnswer(body)
    }

    /// `GET /api2/history?order_id=…`: the order's entries, newest first.
    public static func history(_ body: Data) throws(FolioError) -> [OrderHistoryEntry] {
        try APIClient.historyAnswer(body)
    }

    /// `GET /api2/invoice?id=…`: the detail, and the same invoice as a listing row.
    public static func invoiceLookup(_ body: Data) throws(FolioError) -> (detail: InvoiceDetail, summary: InvoiceSummary) {
        let envelope = try APIClient.decode(API2Envelope.self, body)
        return (envelope.detail, envelope.summary)
    }

    /// `GET /api/admin/invoices/{id}`.
    public static func adminInvoice(_ body: Data) throws(FolioError) -> InvoiceDetail {
        try APIClient.decode(AdminEnvelope.self, body).detail
    }

    /// A create's 2xx answer, taken only if it is this create's (`APIClient.verify`).
    public static func createAnswer(
        _ body: Data, plan: CapturePlan, reference: OperationReference
    )
        throws(FolioError) -> InvoiceSummary
    {
        try APIClient.verify(body, answers: plan, reference: reference)
    }

    /// A resend's 2xx answer: the store's `email_sent`.
    public static func emailAnswer(_ body: Data, invoiceId: Int64) throws(FolioError) -> Bool {
        try APIClient.emailAnswer(body, invoiceId: invoiceId)
    }

    /// The text of an error answer (`ErrorBody`).
    public static func errorText(_ body: Data, status: Int) -> (message: String, detail: String?) {
        let text = ErrorBody(body, status: status)
        return (text.message, text.detail)
    }

    /// A non-success answer as the client reports it (`APIClient.failure`),
    /// cleaned of `secrets` as the client cleans the tokens it has held.
    public static func refusal(status: Int, body: Data, what: String, secrets: [String]) -> FolioError {
        APIClient.failure(
            .init(status: status, body: body), what: what, profile: "fuzz", tokenFrom: nil,
            secrets: Self.secrets(secrets))
    }

    /// How a write's answer is judged, and whether a refusal is the store's own.
    public enum Judged: Sendable, Equatable {
        case accepted, refused(FolioError), unknown(reason: String)
    }

    public static func judgement(
        status: Int, body: Data, location: String?, documentedRefusals: Set<String>,
        secrets: [String]
    ) -> (judged: Judged, storesOwn: Bool, resendElsewhere: Bool) {
        let reply = APIClient.Reply(status: status, body: body, location: location)
        let held = Self.secrets(secrets)
        let judged: Judged
        switch WriteJudgement.of(
            reply, documentedRefusals: documentedRefusals,
            failure: {
                APIClient.failure($0, what: "the write", profile: "fuzz", tokenFrom: nil, secrets: held)
            })
        {
        case .accepted: judged = .accepted
        case .refused(let error): judged = .refused(error)
        case .unknown(let reason): judged = .unknown(reason: reason)
        }
        return (judged, WriteJudgement.isTheStoresOwn(reply), WriteJudgement.isResendElsewhere(reply))
    }

    /// A journal file's entries, as `WriteJournal.entries` folds them.
    public static func journal(_ data: Data) -> [JournalEntry] { WriteJournal.fold(data) }

    /// One record as `WriteJournal` writes it, newline included.
    public static func journalLine(
        _ reference: OperationReference, at: Date, event: JournalRecord.Event,
        intent: JournalEntry.Intent? = nil, result: String? = nil,
        invoice: JournalRecord.InvoiceRef? = nil
    ) -> Data? {
        WriteJournal.line(
            JournalRecord(
                reference: reference, at: at, event: event, intent: intent, result: result,
                invoice: invoice))
    }

    /// A reference made from `generator`'s bits, as `OperationReference.make` makes one.
    public static func reference<G: RandomNumberGenerator>(using generator: inout G) -> OperationReference {
        OperationReference.make(using: &generator)
    }

    private static func secrets(_ texts: [String]) -> Secrets {
        let held = Secrets()
        for text in texts { held.add(text) }
        return held
    }
}
