import Foundation

/// One line of the journal file: a write's intent, or a later word on its outcome.
public struct JournalRecord: Codable, Sendable {
    public enum Event: String, Codable, Sendable {
        /// About to be sent (recorded before the first byte leaves).
        case intent
        /// The store answered that it did it, or the reference was found.
        case done
        /// The store certainly did not do it.
        case refused
        /// No proof either way (yet).
        case unknown
        /// A clerk looked at the store and closed the question.
        case settled
    }

    /// The invoice a write made or touched.
    public struct InvoiceRef: Codable, Sendable, Equatable {
        public var id: Int64
        public var number: String
        public init(id: Int64, number: String) {
            self.id = id
            self.number = number
        }
    }

    var reference: OperationReference
    var at: Date
    var event: Event
    var intent: JournalEntry.Intent?
    var result: String?
    var invoice: InvoiceRef?

    enum CodingKeys: String, CodingKey {
        case reference = "ref"
        case at, event, intent, result, invoice
    }
}

/// A write as the journal knows it: what was asked and what became of it.
public struct JournalEntry: Sendable, Equatable {
    /// What was asked, kept so that the outcome can be looked for and a clerk
    /// can see exactly what it was. Never a token or a secret.
    public struct Intent: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable {
            case invoiceCreate = "invoice.create"
            case invoiceEmail = "invoice.email"
            case orderNote = "order.note"
            case creditMemo = "creditmemo.create"
        }
        public var kind: Kind
        public var profile: String
        public var orderNumber: String?
        public var invoiceId: Int64?
        public var invoiceNumber: String?
        /// A create's quantities by order item id (decimal text), for every
        /// item the plan invoices — a full capture's too — so that an invoice
        /// carrying the reference can be checked line by line.
        public var quantities: [String: String]?
        /// What was sent, in words.
        public var summary: [String]
        /// The request body exactly as sent (the API's bodies carry no secret).
        public var body: String
        /// The store's base URL, so that two profiles of one store share their pending writes.
        public var store: String?
        /// A note's words as the clerk wrote them (without the marker), so
        /// that the same note sent again is known for a retry.
        public var note: String?

        /// `quantities` as numbers, zero quantities left out.
        var askedQuantities: [String: Decimal] {
            (quantities ?? [:]).compactMapValues { Decimal(exactly: $0) }.filter { $0.value != 0 }
        }

        public init(
            kind: Kind, profile: String, orderNumber: String? = nil, invoiceId: Int64? = nil,
            invoiceNumber: String? = nil, quantities: [String: String]? = nil, note: String? = nil, summary: [String],
            body: String
        ) {
            self.kind = kind
            self.profile = profile
            self.orderNumber = orderNumber
            self.invoiceId = invoiceId
            self.invoiceNumber = invoiceNumber
            self.quantities = quantities
            self.note = note
            self.summary = summary
            self.body = body
        }

        /// What the write is on, for messages: "order 100000123", "invoice 100000045".
        var subject: String {
            switch kind {
            case .invoiceCreate, .orderNote: return "order \(orderNumber ?? "?")"
            case .creditMemo: return "invoice \(invoiceNumber ?? invoiceId.map(String.init) ?? "?")"
            case .invoiceEmail: return "invoice \(invoiceNumber ?? invoiceId.map(String.init) ?? "?")"
            }
        }

        /// Whether `other` asks for the same thing, so that an earlier one of
        /// unknown outcome must be cleared first: a create on the same order,
        /// a resend of the same invoice, the same note on the same order.
        func isRepeat(of other: Intent) -> Bool {
            guard kind == other.kind else { return false }
            switch kind {
            case .invoiceCreate: return orderNumber == other.orderNumber
            case .invoiceEmail: return invoiceId == other.invoiceId
            case .orderNote: return orderNumber == other.orderNumber && note == other.note
            case .creditMemo: return invoiceId == other.invoiceId
            }
        }
    }

    public enum Status: String, Sendable, Codable {
        /// Unknown: no answer recorded, or no proof yet.
        case open, done, refused, settled
    }

    public let reference: OperationReference
    public let intent: Intent
    public let startedAt: Date
    public var status: Status = .open
    /// The latest word on it; nil while nothing at all was recorded after the
    /// intent (the program stopped or was killed while sending).
    public var result: String?
    public var invoice: JournalRecord.InvoiceRef?
    public var updatedAt: Date

    init(reference: OperationReference, intent: Intent, startedAt: Date) {
        self.reference = reference
        self.intent = intent
        self.startedAt = startedAt
        updatedAt = startedAt
    }

    public var isOpen: Bool { status == .open }

    /// What the write was about, for messages: "an invoice for order 100000123".
    public var what: String {
        switch intent.kind {
        case .invoiceCreate: return "an invoice for order \(intent.orderNumber ?? "?")"
        case .invoiceEmail: return "the email of \(intent.subject)"
        case .orderNote: return "a note on \(intent.subject)"
        case .creditMemo: return "a refund from \(intent.subject)"
        }
    }

    /// `yyyy-MM-dd HH:mm:ss` in this machine's time zone, for people; made
    /// once, not per row or per frame.
    public static func localTime(_ date: Date) -> String { date.formatted(localTimeStyle) }

    private static let localTimeStyle = Date.VerbatimFormatStyle(
        format:
            "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
        timeZone: .current, calendar: Calendar(identifier: .gregorian))

    /// Why it is open, or how it ended, in words.
    public var explanation: String {
        result ?? "no answer was recorded: Folio stopped while sending"
    }

    mutating func apply(_ record: JournalRecord) {
        updatedAt = record.at
        result = record.result ?? result
        invoice = record.invoice ?? invoice
        switch record.event {
        case .intent, .unknown: break
        case .done: status = .done
        case .refused: status = .refused
        case .settled: status = .settled
        }
    }
}
