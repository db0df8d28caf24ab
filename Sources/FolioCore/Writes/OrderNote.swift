import Foundation

/// An internal note on an order's history that is known to be done.
public struct AddedNote: Sendable, Equatable {
    public let entry: OrderHistoryEntry
    public let reference: OperationReference
    /// The answer was lost and the note was found afterwards by its reference.
    public let reconciled: Bool

    /// Whether the store keeps it internal, as asked (a store may ignore the flags).
    public var isInternal: Bool { !entry.isVisibleOnFront && !entry.isCustomerNotified }

    public init(entry: OrderHistoryEntry, reference: OperationReference, reconciled: Bool) {
        self.entry = entry
        self.reference = reference
        self.reconciled = reconciled
    }
}

extension Result where Success == AddedNote, Failure == FolioError {
    /// What became of a note, in words, for the line after a write: "noted in
    /// order 1's history (ref R)", "… may have been added (ref R) …", "… was not added: why".
    public func said(order: String) -> (text: String, fine: Bool) {
        switch self {
        case .success(let note) where note.isInternal:
            return ("noted in order \(order)'s history (ref \(note.reference))", true)
        case .success(let note):
            return ("noted in order \(order)'s history (ref \(note.reference)), but the store shows the note to the customer", false)
        case .failure(.outcomeUnknown(_, let reference, _)):
            return ("the note in order \(order)'s history may have been added (ref \(reference)) — Folio keeps looking", false)
        case .failure(let error):
            return ("the note in order \(order)'s history was not added: \(error.message)", false)
        }
    }
}

/// The words of an internal note, checked before anything is sent.
public enum NoteText {
    /// Stores keep history comments as text; Folio keeps notes well inside
    /// what the reference server takes (4,096), with room for the marker.
    public static let room = 2000

    /// The note as it will be sent, or why it cannot be: not empty, not too
    /// long, no control characters (a note is one paragraph; a pasted escape
    /// sequence is never a note).
    public static func checked(_ text: String) throws(FolioError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidInput("the note is empty — type what happened") }
        // Counted as stores count: code points, not what the eye sees as one character.
        guard trimmed.unicodeScalars.count <= room else {
            throw .invalidInput("the note is too long: at most \(room) characters (it has \(trimmed.unicodeScalars.count))")
        }
        if hasInvisible(trimmed) {
            throw .invalidInput(
                "the note has control or invisible characters (line breaks, tabs, escapes, direction marks) — write it on one line")
        }
        return trimmed
    }

    /// Controls, format characters (direction overrides, zero-width ones) and
    /// line or paragraph separators: what would make a note read otherwise
    /// than it was written, in another tool.
    static func hasInvisible(_ text: String) -> Bool {
        text.unicodeScalars.contains {
            switch $0.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }
}

extension APIClient {
    /// Adds an internal note (not visible to the customer, who is not
    /// notified) to an order's history as a journaled write: the comment
    /// starts with the operation reference's marker, so that a lost answer
    /// is settled by finding exactly one entry that carries it.
    public func addNote(
        orderNumber: String, text: String, aboutInvoice: String? = nil, journal: WriteJournal,
        evenIfPending: Bool = false, reference: OperationReference = .make()
    ) async throws(FolioError) -> AddedNote {
        let order = orderNumber.trimmingCharacters(in: .whitespaces)
        guard !order.isEmpty else { throw .invalidInput("the order number is empty") }
        let note = try NoteText.checked(text)
        let object: [String: Any] = [
            "order_increment_id": order, "comment": reference.marked(note),
            "is_customer_notified": false, "is_visible_on_front": false,
        ]
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        let intent = JournalEntry.Intent(
            kind: .orderNote, profile: settings.profile, orderNumber: order, invoiceNumber: aboutInvoice, note: note,
            summary: ["add an internal note to order \(order)", "note: \(note)"],
            body: String(decoding: body, as: UTF8.self))
        let (entry, reconciled) = try await journaledWrite(
            intent, path: "/api2/history", body: body, reference: reference, journal: journal,
            evenIfPending: evenIfPending,
            read: { data throws(FolioError) in
                let entry = try Self.noteAnswer(data, reference: reference)
                return (entry, "note on order \(order) added", nil)
            },
            whenFound: { $0.note })
        return AddedNote(entry: entry, reference: reference, reconciled: reconciled)
    }

    /// `{"entry": {…}}`, taken as this note's only if it carries the marker:
    /// anything else is no proof, and is looked for instead. (Whether the
    /// store kept it internal is `AddedNote.isInternal`, said to the clerk.)
    static func noteAnswer(_ data: Data, reference: OperationReference) throws(FolioError) -> OrderHistoryEntry {
        struct Envelope: Decodable { let entry: OrderHistoryEntry }
        let entry = try decode(Envelope.self, data).entry
        guard let comment = entry.comment, OperationReference.marking(comment) == reference else {
            throw .malformedResponse(field: "entry.comment", reason: "it does not carry ref \(reference)")
        }
        return entry
    }

    /// A note is found by its marker in the order's history: exactly one
    /// entry must carry it.
    func findNote(_ entry: JournalEntry) async throws(FolioError) -> Finding {
        guard let order = entry.intent.orderNumber else { return .unclear(reason: "the journal does not name the order") }
        let reference = entry.reference
        let carrying = try await history(orderNumber: order).filter {
            $0.comment.flatMap(OperationReference.marking) == reference
        }
        guard let ours = carrying.first else {
            return .absent(reason: "the history of order \(order) shows no note with ref \(reference) yet")
        }
        guard carrying.count == 1 else {
            return .unclear(reason: "\(carrying.count) entries of order \(order) carry ref \(reference) — check the order")
        }
        return .found(Found(detail: "note on order \(order) added", note: ours))
    }
}
