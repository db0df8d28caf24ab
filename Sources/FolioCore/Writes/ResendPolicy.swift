import Foundation

/// When an invoice's email last went out, to whom and by whom, as the
/// order's history says (and this machine's journal, for a store whose
/// history does not record emails).
public struct LastSend: Sendable, Equatable {
    /// When, if known; nil when only the invoice's flag says it was sent,
    /// or when the store wrote a time Folio cannot read (`timeUnreadable`).
    public var at: Date?
    public var to: String?
    /// "anna via Folio", "the store", "profile shop via Folio on this machine".
    public var by: String
    /// The resend's operation reference, when Folio made it.
    public var reference: OperationReference?
    /// The history names a send at a time Folio cannot read: it may be now.
    public var timeUnreadable = false

    public init(at: Date?, to: String?, by: String, reference: OperationReference? = nil, timeUnreadable: Bool = false) {
        self.at = at
        self.to = to
        self.by = by
        self.reference = reference
        self.timeUnreadable = timeUnreadable
    }
}

/// The rules of a resend, the same in the TUI and the CLI: a second one
/// within the window needs a reason, and every resend leaves an internal
/// note in the order's history naming it, the recipient and the clerk.
public enum ResendPolicy {
    public static let defaultWindow: Duration = .seconds(600)
    /// Longest reason kept in the note.
    public static let reasonRoom = 300
    /// How far ahead of this machine's clock a store's time may be before
    /// the clocks are taken to differ (and the send as just now).
    public static let skew: TimeInterval = 120
    /// The recipient's word in a note when the invoice names none (one word, so the note reads back).
    static let noAddress = "(no-address)"

    /// The latest send of invoice `number` in an order's history: Folio's
    /// own resend notes, and the store's email events ("Invoice N emailed
    /// to X", the reference server's words). Failures are not sends. Taken
    /// by time, not by place in the list; a send whose time cannot be read
    /// wins (it may be the latest).
    public static func lastSend(of number: String, in history: [OrderHistoryEntry]) -> LastSend? {
        var sends: [LastSend] = []
        for entry in history {
            guard let comment = entry.comment else { continue }
            let text = OperationReference.marking(comment) == nil ? comment : unmarked(comment)
            let at = entry.createdAt.flatMap(StoreTime.date)
            var send: LastSend
            if let note = FolioNote(text), note.invoice == number, note.failure == nil {
                send = LastSend(at: at, to: note.recipient, by: note.clerk + " via Folio", reference: note.resend)
            } else if entry.source == "email", let to = storeEvent(text, invoice: number) {
                // The store's own event; a Folio resend's comment carries its marker.
                let marker = text.range(of: "[folio-op ").map { String(text[$0.lowerBound...]) }
                send = LastSend(at: at, to: to, by: "the store", reference: marker.flatMap(OperationReference.marking))
            } else {
                continue
            }
            send.timeUnreadable = at == nil
            sends.append(send)
        }
        return sends.first(where: \.timeUnreadable) ?? sends.max { ($0.at ?? .distantPast) < ($1.at ?? .distantPast) }
    }

    /// The latest resend of this invoice that this machine's journals know
    /// of (any profile on the same store), at the time it was sent: done
    /// (and the mail went), or of unknown outcome — it may have gone out.
    public static func lastSend(ofInvoice id: Int64, in entries: [JournalEntry]) -> LastSend? {
        entries.filter {
            $0.intent.kind == .invoiceEmail && $0.intent.invoiceId == id
                && ($0.status == .open || $0.status == .done && $0.result != notSentResult)
        }
        .max { $0.startedAt < $1.startedAt }
        .map {
            LastSend(
                at: $0.startedAt, to: nil,
                by: "profile \($0.intent.profile) via Folio on this machine" + ($0.isOpen ? " (outcome unknown)" : ""),
                reference: $0.reference)
        }
    }

    /// The journal's word on a resend the store took but did not send.
    static let notSentResult = "accepted, but the store says the email was not sent"

    /// The history's word, unless this machine's journal knows a later send
    /// (one without a time loses). The same resend seen in both is the
    /// history's, which names the recipient and the clerk.
    public static func newer(history: LastSend?, journal: LastSend?) -> LastSend? {
        guard let history else { return journal }
        guard let journal, journal.reference != history.reference, !history.timeUnreadable else { return history }
        return (journal.at ?? .distantPast) > (history.at ?? .distantPast) ? journal : history
    }

    /// Whether sending now repeats a send within the window. A send whose
    /// time cannot be read, or lies ahead of this clock, counts (it may be
    /// now); a flag alone, with no send on record, proves no time.
    public static func isRepeat(_ last: LastSend?, window: Duration, now: Date) -> Bool {
        guard let last, window > .zero else { return false }
        if last.timeUnreadable { return true }
        guard let at = last.at else { return false }
        let seconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        return now.timeIntervalSince(at) < seconds
    }

    /// "3 min ago", "just now", "2 h ago", for a person deciding whether to send again.
    public static func ago(_ date: Date, now: Date) -> String {
        let seconds = Int(now.timeIntervalSince(date))
        if seconds < 60 { return seconds < -Int(skew) ? "ahead of this clock: the clocks differ" : "just now" }
        if seconds < 3600 { return "\(seconds / 60) min ago" }
        if seconds < 86_400 * 2 { return "\(seconds / 3600) h ago" }
        return "\(seconds / 86_400) days ago"
    }

    /// "2026-11-29 09:12 UTC (3 min ago) to x@y by anna via Folio", or "never".
    public static func describe(_ last: LastSend?, now: Date) -> String {
        guard let last else { return "never" }
        let when =
            last.timeUnreadable
            ? "at a time Folio cannot read (taken as just now)"
            : last.at.map { StoreTime.text($0) + " UTC (" + ago($0, now: now) + ")" } ?? "yes (the store does not say when)"
        return when + (last.to.map { " to \($0)" } ?? "") + " by \(last.by)"
    }

    /// A reason for sending again: one line, not empty, not too long.
    public static func checkedReason(_ text: String) throws(FolioError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidInput("say why it is sent again: the reason goes in the order's history") }
        guard trimmed.unicodeScalars.count <= reasonRoom else {
            throw .invalidInput("the reason is too long: at most \(reasonRoom) characters")
        }
        if NoteText.hasInvisible(trimmed) {
            throw .invalidInput("the reason has control or invisible characters — write it on one line")
        }
        return trimmed
    }

    /// The internal note Folio leaves after a resend (its own marker is
    /// added when it is sent).
    public static func note(
        invoice number: String, to recipient: String?, by clerk: String, resend: OperationReference, again: Bool,
        reason: String?, failure: String? = nil
    ) -> String {
        let to = recipient.map { $0.contains(where: \.isWhitespace) || $0.isEmpty ? noAddress : $0 } ?? noAddress
        let head =
            failure == nil
            ? "Invoice \(number) emailed\(again ? " again" : "") to \(to) by \(clerk) (resend ref \(resend))"
            : "Invoice \(number) email to \(to) FAILED, by \(clerk) (resend ref \(resend))"
        return head + (reason.map { ": \($0)" } ?? "") + (failure.map { " — the store said: \($0)" } ?? "")
    }

    /// The clerk's name for notes: the login name, printable, short.
    public static func clerk(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let raw = environment["FOLIO_CLERK"] ?? environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
        let clean = String(
            String.UnicodeScalarView(
                raw.unicodeScalars.filter {
                    !$0.properties.isWhitespace && $0.properties.generalCategory != .control && $0.properties.generalCategory != .format
                }
            ).prefix(40))
        return clean.isEmpty ? "a clerk" : clean
    }

    private static func unmarked(_ comment: String) -> String {
        guard let end = comment.firstIndex(of: "]") else { return comment }
        return String(comment[comment.index(after: end)...]).trimmingCharacters(in: .whitespaces)
    }

    /// "Invoice N emailed to X" or "Invoice N emailed to X: comment" → X.
    private static func storeEvent(_ text: String, invoice number: String) -> String? {
        let prefix = "Invoice \(number) emailed to "
        guard text.hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        return String(rest.prefix { $0 != ":" && $0 != " " })
    }

    /// A note Folio itself wrote after a resend.
    private struct FolioNote {
        var invoice: String
        var recipient: String
        var clerk: String
        var failure: String?
        var resend: OperationReference?

        init?(_ text: String) {
            let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard words.count >= 6, words[0] == "Invoice" else { return nil }
            invoice = words[1]
            var index: Int
            if words[2] == "emailed" {
                index = words[3] == "again" ? 4 : 3
                failure = nil
            } else if words[2] == "email" {
                index = 3
                failure = "failed"
            } else {
                return nil
            }
            guard words.indices.contains(index + 3), words[index] == "to" else { return nil }
            recipient = words[index + 1]
            index += 2
            if failure != nil { index += 1 }  // "FAILED,"
            guard words.indices.contains(index + 1), words[index] == "by" else { return nil }
            clerk = words[index + 1]
            guard let ref = text.range(of: "(resend ref ") else { return nil }
            resend = OperationReference(String(text[ref.upperBound...].prefix(19)))
        }
    }
}

/// The API's timestamps: `YYYY-MM-DD HH:MM:SS` in UTC (a `T` and a `Z` or
/// `+00:00` are taken too).
public enum StoreTime {
    /// The listing's own reading of `YYYY-MM-DD HH:MM:SS` (`DateBound`), with
    /// a `T`, fractions of a second and a UTC zone allowed after it.
    public static func date(_ text: String) -> Date? {
        let c = Array(text.utf8)
        guard c.count >= 19, c[10] == UInt8(ascii: " ") || c[10] == UInt8(ascii: "T") else { return nil }
        var head = c[..<19]
        head[10] = UInt8(ascii: " ")
        guard let bound = DateBound(String(decoding: head, as: UTF8.self)), !bound.isDateOnly else { return nil }
        // Fractions of a second, and a zone only when it is UTC.
        var rest = String(decoding: c[19...], as: UTF8.self)
        if rest.hasPrefix(".") { rest = String(rest.drop { $0 == "." || $0.isASCII && $0.isNumber }) }
        guard rest.isEmpty || rest == "Z" || rest == "+00:00" else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(bound.start))
    }

    public static func text(_ date: Date) -> String {
        let p = utc.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0)
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

/// What Folio knows of an invoice's earlier sends, looked up just before a resend.
public struct ResendCheck: Sendable, Equatable {
    /// nil: never sent, as far as the history, the journal and the invoice's flag show.
    public var last: LastSend?
    /// Why the order's history could not be read (the check then rests on
    /// this machine's journal and the invoice's flag).
    public var historyProblem: String?

    public init(last: LastSend?, historyProblem: String? = nil) {
        self.last = last
        self.historyProblem = historyProblem
    }
}

extension APIClient {
    /// When the invoice's email last went out: the order's history (read
    /// now, so another clerk's send a minute ago counts), this store's
    /// journals on this machine, and, failing both, the invoice's own flag.
    public func resendCheck(
        invoiceId: Int64, number: String, orderNumber: String?, emailSent: Bool?, recipient: String?, journal: WriteJournal
    ) async -> ResendCheck {
        var problem: String?
        var last: LastSend?
        if let orderNumber {
            do throws(FolioError) {
                last = ResendPolicy.lastSend(of: number, in: try await history(orderNumber: orderNumber))
            } catch {
                problem = "could not read order \(orderNumber)'s history: \(error.message)"
            }
        } else {
            problem = "the invoice names no order, so no history to read"
        }
        // A note anyone could have written names its clerk; the resend it names
        // is on the invoice (its marker in the comments) when Folio really sent it.
        if let ref = last?.reference, last?.by.hasSuffix(" via Folio") == true {
            let comments = (try? await api2Invoice(id: invoiceId).detail.comments) ?? []
            if !comments.contains(where: { OperationReference.marking($0.text) == ref }) { last?.by += " (unverified)" }
        }
        let ours = ((try? storeEntries(journal, openOnly: false)) ?? []).map(\.0)
        last = ResendPolicy.newer(history: last, journal: ResendPolicy.lastSend(ofInvoice: invoiceId, in: ours))
        if last == nil, emailSent == true { last = LastSend(at: nil, to: recipient, by: "the store") }
        return ResendCheck(last: last, historyProblem: problem)
    }
}
