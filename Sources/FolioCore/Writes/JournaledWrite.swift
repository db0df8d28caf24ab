import Foundation

/// What a write looked for by its reference turned up.
public enum Finding: Sendable, Equatable {
    /// Exactly one record carries the reference and matches what was asked.
    case found(Found)
    /// Nothing carries the reference (yet): not proof that it never will.
    case absent(reason: String)
    /// Something carries it but cannot be taken as ours (two candidates, or
    /// lines that differ from the plan), or the look-up itself failed.
    case unclear(reason: String)
}

/// The record that carries a write's reference: an invoice (a create, a
/// resend) or an order's history entry (a note), and the outcome in words.
public struct Found: Sendable, Equatable {
    public var detail: String
    public var invoice: InvoiceSummary?
    public var note: OrderHistoryEntry?
    /// A credit memo's number, found in the order's history.
    public var creditMemo: String?

    init(detail: String, invoice: InvoiceSummary? = nil, note: OrderHistoryEntry? = nil) {
        self.detail = detail
        self.invoice = invoice
        self.note = note
    }

    var invoiceRef: JournalRecord.InvoiceRef? { invoice.map { .init(id: $0.id, number: $0.incrementId) } }
}

extension APIClient {
    /// One write from start to end: refused while an earlier write on the same
    /// order or invoice is of unknown outcome; journaled durably before it is
    /// sent; sent once; judged done, refused or unknown. An unknown is looked
    /// for by its reference once, at once; if that does not settle it, it
    /// stays unknown in the journal and `outcomeUnknown` is thrown.
    func journaledWrite<T: Sendable>(
        _ intent: JournalEntry.Intent, path: String, body: Data, reference: OperationReference,
        journal: WriteJournal, evenIfPending: Bool, documentedRefusals: Set<String> = [],
        read: (Data) throws(FolioError) -> (value: T, result: String, invoice: JournalRecord.InvoiceRef?),
        whenFound: (Found) -> T?
    ) async throws(FolioError) -> (value: T, reconciled: Bool) {
        var intent = intent
        intent.store = storeIdentity
        let entry = JournalEntry(reference: reference, intent: intent, startedAt: Date())
        try await clearPending(like: entry, journal: journal, evenIfPending: evenIfPending)
        try journal.begin(intent, reference: reference)

        /// Why the outcome is not known yet, and the refusal that stands if the reference is not found.
        let reason: String
        var refusal: FolioError?
        switch await sendWrite(path, json: body, reference: reference) {
        case .notSent(let error):
            let error = error.mapText(secrets.redact)
            try? journal.record(reference, .refused, result: "not sent: " + error.message)
            throw error
        case .lost(let why):
            reason = secrets.redact(why)
        case .answered(let reply):
            switch WriteJudgement.of(
                reply, documentedRefusals: documentedRefusals,
                failure: { failure($0, what: entry.what) })
            {
            case .refused(let error):
                if WriteJudgement.isTheStoresOwn(reply) {
                    try? journal.record(reference, .refused, result: error.message)
                    throw error
                }
                // Anything else may come from something between Folio and the store that
                // passed the request on: look first. Not finding it proves nothing (the
                // store may still be at work), except after a 307/308, which names
                // another address to send it to.
                if WriteJudgement.isResendElsewhere(reply) { refusal = error }
                reason =
                    "the answer \(reply.status) may not be the store's own (\(error.message.components(separatedBy: " — ").first ?? ""))"
            case .unknown(let why):
                reason = secrets.redact(why)
            case .accepted(let data):
                do throws(FolioError) {
                    let accepted = try read(data)
                    try? journal.record(reference, .done, result: accepted.result, invoice: accepted.invoice)
                    return (accepted.value, false)
                } catch {
                    reason = "the store answered \(reply.status) but not with this write's result (\(secrets.redact(error.message)))"
                }
            }
        }
        // No proof either way: look for the reference once, now.
        switch await find(entry) {
        case .found(let found):
            if let value = whenFound(found) {
                try? journal.record(reference, .done, result: found.detail, invoice: found.invoiceRef)
                return (value, true)
            }
            try? journal.record(reference, .unknown, result: "\(reason); found \(found.detail) but cannot read it")
            throw .outcomeUnknown(what: entry.what, reference: reference.value, reason: reason)
        case .absent where refusal != nil:
            try? journal.record(reference, .refused, result: refusal!.message)
            throw refusal!
        case .absent(let why), .unclear(let why):
            try? journal.record(reference, .unknown, result: "\(reason); \(secrets.redact(why))")
            throw .outcomeUnknown(what: entry.what, reference: reference.value, reason: reason)
        }
    }

    /// Earlier writes on the same order (creates) or invoice (emails) whose
    /// outcome is unknown are looked for first. One still unknown refuses the
    /// new write, and so does one found done (the clerk is most likely
    /// retrying it), unless the clerk said to go ahead.
    func clearPending(like entry: JournalEntry, journal: WriteJournal, evenIfPending: Bool) async throws(FolioError) {
        let same = try storeEntries(journal, openOnly: true).filter { other, _ in other.intent.isRepeat(of: entry.intent) }
        let subject = entry.intent.subject
        for (open, itsJournal) in same {
            let now = await resolve(open, journal: itsJournal)
            guard !evenIfPending else { continue }
            if now.isOpen { throw .pendingWrite(what: subject, reference: open.reference.value) }
            if now.status == .done {
                throw .earlierWriteDone(what: subject, outcome: now.explanation, reference: open.reference.value)
            }
        }
    }

    /// The writes this store has seen from this machine: this profile's
    /// journal (an unreadable one is an error), and the entries of other
    /// profiles' journals that name the same store, each with its journal.
    func storeEntries(_ journal: WriteJournal, openOnly: Bool) throws(FolioError) -> [(JournalEntry, WriteJournal)] {
        func read(_ j: WriteJournal) throws(FolioError) -> [JournalEntry] { openOnly ? try j.openEntries() : try j.entries() }
        var found = try read(journal).filter { $0.intent.store == nil || $0.intent.store == storeIdentity }.map { ($0, journal) }
        for sibling in journal.siblings() {
            found += ((try? read(sibling)) ?? []).filter { $0.intent.store == storeIdentity }.map { ($0, sibling) }
        }
        return found
    }

    /// Looks for an open write by its reference and records what is found;
    /// returns the entry as it now stands.
    @discardableResult
    public func resolve(_ entry: JournalEntry, journal: WriteJournal) async -> JournalEntry {
        var entry = entry
        guard entry.isOpen else { return entry }
        let record: JournalRecord
        switch await find(entry) {
        case .found(let found):
            record = JournalRecord(
                reference: entry.reference, at: Date(), event: .done, result: found.detail, invoice: found.invoiceRef)
        case .absent(let why), .unclear(let why):
            record = JournalRecord(reference: entry.reference, at: Date(), event: .unknown, result: why)
        }
        // An unchanged "still unknown" is not written again: the journal stays small however long it waits.
        if record.event != .unknown || record.result != entry.result {
            try? journal.record(entry.reference, record.event, result: record.result ?? "", invoice: record.invoice, at: record.at)
        }
        entry.apply(record)
        return entry
    }

    /// Looks for every open write of the journal; returns each as it now stands.
    public func resolveOpenWrites(_ journal: WriteJournal) async throws(FolioError) -> [JournalEntry] {
        var looked: [JournalEntry] = []
        for entry in try journal.openEntries() where entry.intent.profile == settings.profile {
            looked.append(await resolve(entry, journal: journal))
        }
        return looked
    }

    /// Finds a write by its reference alone: the audit comment that every
    /// store keeps with the invoice. Never by "a new invoice appeared".
    func find(_ entry: JournalEntry) async -> Finding {
        let reference = entry.reference
        do throws(FolioError) {
            switch entry.intent.kind {
            case .invoiceCreate:
                guard let number = entry.intent.orderNumber else { return .unclear(reason: "the journal does not name the order") }
                var carrying: [API2Envelope] = []
                for invoice in try await orderInvoices(number) {
                    let lookup = try await api2Invoice(id: invoice.id)
                    if lookup.detail.comments.contains(where: { OperationReference.marking($0.text) == reference }) {
                        carrying.append(lookup)
                    }
                }
                guard let ours = carrying.first else {
                    return .absent(reason: "no invoice of order \(number) carries ref \(reference) yet")
                }
                guard carrying.count == 1 else {
                    return .unclear(reason: "\(carrying.count) invoices of order \(number) carry ref \(reference) — check the order")
                }
                guard Self.lines(of: ours.detail, include: entry.intent.askedQuantities) else {
                    return .unclear(
                        reason:
                            "invoice \(ours.summary.incrementId) carries ref \(reference) but its lines differ from what was asked — check order \(number)"
                    )
                }
                return .found(Found(detail: "invoice \(ours.summary.incrementId)", invoice: ours.summary))
            case .invoiceEmail:
                guard let id = entry.intent.invoiceId else { return .unclear(reason: "the journal does not name the invoice") }
                let lookup = try await api2Invoice(id: id)
                let number = lookup.summary.incrementId
                guard lookup.detail.comments.contains(where: { OperationReference.marking($0.text) == reference }) else {
                    return .absent(reason: "invoice \(number) shows no email with ref \(reference) yet")
                }
                return .found(Found(detail: "email of invoice \(number) sent", invoice: lookup.summary))
            case .orderNote:
                return try await findNote(entry)
            case .creditMemo:
                return try await findCreditMemo(entry)
            }
        } catch {
            return .unclear(reason: "could not look: \(error.message)")
        }
    }

    /// The `/api2` look-up, which carries the comments (the admin detail need not).
    func api2Invoice(id: Int64) async throws(FolioError) -> API2Envelope {
        let reply = try await get("/api2/invoice", query: [("id", String(id))])
        try check(reply, what: "invoice \(id)")
        return try Self.decode(API2Envelope.self, reply.body)
    }

    /// Every invoice of an order, newest first, page after page (an order
    /// rarely has more than a few; 5,000 at most are looked at).
    public func orderInvoices(_ orderNumber: String) async throws(FolioError) -> [InvoiceSummary] {
        var query = InvoiceQuery()
        query.orderIncrementId = orderNumber
        query.limit = 200
        var all: [InvoiceSummary] = []
        var seen = Set<Int64>()
        for page in 1...25 {
            query.page = page
            let found = try await invoices(query)
            // A row twice (pages shifting under a new invoice) counts once; a row of another order not at all.
            all += found.items.filter { seen.insert($0.id).inserted && ($0.orderIncrementId ?? orderNumber) == orderNumber }
            guard found.hasNext, !found.items.isEmpty else { break }
        }
        return all
    }

    /// Whether an invoice has each asked line with its quantity. Lines beyond
    /// them are allowed: stores add the child rows of configurable and bundle
    /// items, and the marker, not the lines, says whose invoice it is.
    static func lines(of detail: InvoiceDetail, include asked: [String: Decimal]) -> Bool {
        let lines = Dictionary(
            detail.items.compactMap { line in line.orderItemId.map { (String($0), line.qty) } },
            uniquingKeysWith: +)
        return !asked.isEmpty && asked.allSatisfy { lines[$0.key] == $0.value }
    }

    /// The store this client writes to, as the journal names it: scheme, host,
    /// port and path, never a user or password in the URL.
    var storeIdentity: String {
        guard var parts = URLComponents(string: baseURL) else { return baseURL }
        parts.user = nil
        parts.password = nil
        parts.scheme = parts.scheme?.lowercased()
        parts.host = parts.host?.lowercased()
        return parts.string ?? baseURL
    }
}
