@_spi(Fuzzing) import FolioCore
import Foundation

/// Operation references and the write journal.
enum ReferenceTargets {
    /// A reference reads back from every way a person may type it; any text
    /// reads as a reference only in the canonical form; a comment names a
    /// write only by a marker at its start, and a clerk's words never name one.
    static func reference(_ b: inout FuzzBytes) throws(PropertyViolation) {
        var random = ReplayedRandom(bytes: FuzzBytes((0..<10).map { _ in b.byte() }))
        let reference = StoreAnswers.reference(using: &random)
        let value = reference.value
        try require(isCanonical(value), .operationReference, "made \(value)")
        let plain = value.replacingOccurrences(of: "-", with: "")
        for typed in [value, value.lowercased(), plain, " " + plain.lowercased() + " ", value.replacingOccurrences(of: "-", with: " ")] {
            try require(OperationReference(typed) == reference, .operationReference, "\(typed) does not read as \(value)")
        }

        let text = b.text(limit: 30)
        if let read = OperationReference(text) {
            try require(
                isCanonical(read.value) && OperationReference(read.value) == read, .operationReference,
                "\"\(text)\" read as \(read.value)")
        }

        let comment = b.text(limit: 40)
        let marked = reference.marked(comment.isEmpty ? nil : comment)
        try require(OperationReference.marking(marked) == reference, .operationReference, "\(marked) does not name \(value)")
        // No other place in the comment names a write: a store that dropped what precedes it could not make one.
        var rest = Substring(marked).dropFirst()
        while !rest.isEmpty {
            try require(
                OperationReference.marking(String(rest)) == nil, .operationReference,
                "the clerk's words \"\(comment)\" name a write")
            rest = rest.dropFirst()
        }
        // A marker after other text names nothing.
        let before = b.text(limit: 6)
        if let start = before.first(where: { $0 != " " }), !before.drop(while: { $0 == " " }).hasPrefix("[folio-op"), start != "[" {
            try require(
                OperationReference.marking(before + reference.marker) == nil, .operationReference,
                "a marker after \"\(before)\" was taken")
        }
        try require(
            OperationReference.marking(comment).map(\.value) == Oracle.markedReference(comment), .operationReference,
            "\"\(comment)\" names \(OperationReference.marking(comment)?.value ?? "nothing")")
    }

    /// `XXXX-XXXX-XXXX-XXXX` in Crockford's base 32.
    static func isCanonical(_ value: String) -> Bool {
        let alphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ".unicodeScalars)
        let scalars = Array(value.unicodeScalars)
        return scalars.count == 19 && scalars.enumerated().allSatisfy { i, s in (i + 1) % 5 == 0 ? s == "-" : alphabet.contains(s) }
    }

    /// A journal with torn and foreign lines among its records reads as the
    /// records alone, folded as a clerk expects: the writes in the order they
    /// began, each with its latest word. Raw bytes never trap.
    static func journal(_ b: inout FuzzBytes) throws(PropertyViolation) {
        if b.below(4) == 0 {
            _ = StoreAnswers.journal(Data(b.rest()))
            return
        }
        var pool = ReplayedRandom(bytes: FuzzBytes((0..<30).map { _ in b.byte() }))
        let references = (0..<3).map { _ in StoreAnswers.reference(using: &pool) }
        let events: [JournalRecord.Event] = [.intent, .done, .refused, .unknown, .settled]
        var file = Data()
        var expected: [(reference: OperationReference, entry: Model)] = []
        for _ in 0..<b.below(12) {
            let reference = b.pick(references)
            let event = b.below(3) == 0 ? .intent : b.pick(events)
            // Any millisecond from 1970 to 2106.
            let at = Date(timeIntervalSince1970: Double(b.uint64() % 4_294_967_296_000) / 1000)
            let intent = event == .intent || b.below(8) == 0 ? Self.intent(&b) : nil
            let result = b.bool() ? b.text() : nil
            let invoice = b.bool() ? JournalRecord.InvoiceRef(id: Int64(b.below(1000)), number: b.text(limit: 6)) : nil
            guard
                let line = StoreAnswers.journalLine(
                    reference, at: at, event: event, intent: intent, result: result,
                    invoice: invoice)
            else {
                throw PropertyViolation(target: "journal", what: "a record could not be written")
            }
            switch b.below(6) {
            case 0: file += line.prefix(1 + b.below(line.count - 2)) + [0x0A]  // torn by a crash, then a new record
            case 1: file += Data("x".utf8) + Data(b.text().utf8).filter { $0 != 0x0A } + [0x0A]  // not a record
            default: break
            }
            file += line
            if event == .intent, let intent {
                let model = Model(intent: intent, started: at)
                if let i = expected.firstIndex(where: { $0.reference == reference }) {
                    expected[i].entry = model
                } else {
                    expected.append((reference, model))
                }
            } else if let i = expected.firstIndex(where: { $0.reference == reference }) {
                expected[i].entry.apply(event, at: at, result: result, invoice: invoice)
            }
        }
        if b.bool() { file += Data("{\"ref\":\"".utf8) }  // torn last line
        let entries = StoreAnswers.journal(file)
        try require(entries.count == expected.count, .journal, "\(entries.count) writes read, \(expected.count) written")
        for (entry, (reference, model)) in zip(entries, expected) {
            let format = WriteJournal.timeText
            let differences = [
                ("reference", entry.reference == reference), ("intent", entry.intent == model.intent),
                ("status", entry.status == model.status), ("result", Oracle.same(entry.result, model.result)),
                ("invoice", entry.invoice == model.invoice),
                ("started", format(entry.startedAt) == format(model.started)),
                ("updated", format(entry.updatedAt) == format(model.updated)),
            ].filter { !$0.1 }.map(\.0)
            try require(
                differences.isEmpty, .journal,
                "\(reference) read back with another \(differences.joined(separator: ", ")): "
                    + "\(format(entry.startedAt)) vs \(format(model.started)), "
                    + "\(format(entry.updatedAt)) vs \(format(model.updated))")
        }
    }

    static func intent(_ b: inout FuzzBytes) -> JournalEntry.Intent {
        JournalEntry.Intent(
            kind: b.bool() ? .invoiceCreate : .invoiceEmail, profile: b.text(limit: 6),
            orderNumber: b.bool() ? b.text(limit: 8) : nil, invoiceId: b.bool() ? Int64(b.below(9999)) : nil,
            invoiceNumber: b.bool() ? b.text(limit: 8) : nil,
            quantities: b.bool() ? [String(b.below(99)): b.decimalText()] : nil,
            summary: (0..<b.below(3)).map { _ in b.text() }, body: b.text())
    }

    /// A write as the journal's rules say it stands after its records.
    struct Model {
        var intent: JournalEntry.Intent
        var started: Date
        var updated: Date
        var status = JournalEntry.Status.open
        var result: String?
        var invoice: JournalRecord.InvoiceRef?

        init(intent: JournalEntry.Intent, started: Date) {
            self.intent = intent
            self.started = started
            updated = started
        }

        mutating func apply(_ event: JournalRecord.Event, at: Date, result: String?, invoice: JournalRecord.InvoiceRef?) {
            updated = at
            self.result = result ?? self.result
            self.invoice = invoice ?? self.invoice
            switch event {
            case .done: status = .done
            case .refused: status = .refused
            case .settled: status = .settled
            case .intent, .unknown: break
            }
        }
    }
}
