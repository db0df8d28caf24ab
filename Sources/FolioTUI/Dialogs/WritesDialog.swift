import FolioCore
import FolioTerminal
import Foundation

/// The writes of unknown outcome, as the journal and the last check know
/// them. While any is open, the status bar says so on every screen, and Folio
/// keeps looking for each by its reference.
struct PendingWrites: Sendable, Equatable {
    var open: [JournalEntry] = []
    /// The check in flight, if one is (its request number).
    var checking: Int?
    /// Why the journal could not be read, if it could not.
    var problem: String?
    /// How long to wait between two checks while something is open.
    var interval: Duration = .seconds(5)

    /// "1 write of unknown outcome · order 100000123 · checking…"
    var banner: String? {
        if let problem { return "write journal: \(problem)" }
        guard let first = open.first else { return nil }
        let count = open.count == 1 ? "1 write" : "\(open.count) writes"
        let subject = first.intent.orderNumber.map { "order \($0)" } ?? first.intent.invoiceNumber.map { "invoice \($0)" } ?? first.what
        let more = open.count > 1 ? " and more" : ""
        return "\(count) of unknown outcome · \(subject)\(more) · checking… · W shows"
    }
}

/// `W`: the open writes, each with what was asked and the latest word on it;
/// `r` looks again now, `s` settles one by hand after the clerk checked the
/// store (a note of what they saw is required and kept in the journal).
struct WritesDialog: Sendable, Equatable {
    var selected = 0
    /// Typing the settle note for the selected write.
    var note: LineEditor?
    /// The write the note is for: a check that finds writes meanwhile moves
    /// the list, never the note onto another write.
    var settling: OperationReference?
    /// The chosen write, followed by its reference when the list changes.
    var chosen: OperationReference?

    enum Action: Sendable, Equatable { case down, up, checkNow, settle, close, saveNote, dropNote }

    static let listKeys = Keymap<Action>([
        Binding([.down, .character("j")], .down, "next write"),
        Binding([.up, .character("k")], .up, "previous write"),
        Binding([.character("r")], .checkNow, "look for every open write by its reference now"),
        Binding([.character("s")], .settle, "settle the chosen write by hand: type what you saw on the store"),
        Binding([.escape, .character("q"), .character("W")], .close, "close"),
    ])
    static let noteKeys = Keymap<Action>([
        Binding([.enter], .saveNote, "settle it by hand with this note (only after checking the store)"),
        Binding([.escape], .dropNote, "back to the writes, nothing settled"),
    ])

    func render(_ writes: PendingWrites, into canvas: inout Canvas, area: Rect, look: Look) {
        let open = writes.open
        let rows = max(1, open.count) * 3
        let inside = canvas.box(
            area.centered(width: 96, height: min(area.height, rows + 6)),
            title: "Writes of unknown outcome  (Esc closes)", look: look)
        guard inside.height >= 2 else { return }
        // The keys (and the note being typed) at the bottom; the writes above,
        // three lines each, or one each on a short terminal, scrolled to keep
        // the chosen one in view.
        let room = max(0, inside.height - (inside.height >= 5 || note != nil ? 2 : 1))
        if open.isEmpty, room > 0 {
            canvas.clipped(
                "none — every write Folio sent has a known outcome", x: inside.x + 1, y: inside.y,
                width: inside.width - 2, style: look[.success], look: look)
        }
        let lines = room >= 3 ? 3 : 1
        let fit = room / lines
        let first = min(ListState.scrolledTop(top: 0, selected: selected, visible: fit), open.count)
        for (row, index) in (first..<max(first, min(open.count, first + fit))).enumerated() {
            let entry = open[index]
            let y = inside.y + row * lines
            let chosen = index == selected
            let style = chosen ? look[.selection] : look[.text]
            if chosen { canvas.fill(Rect(x: inside.x, y: y, width: inside.width, height: 1), style: style) }
            canvas.clipped(
                "ref \(entry.reference)  \(entry.what)  (sent \(JournalEntry.localTime(entry.startedAt)))", x: inside.x + 1, y: y,
                width: inside.width - 2, style: style, look: look)
            guard lines == 3 else { continue }
            canvas.clipped(
                "  asked: " + entry.intent.summary.dropFirst().joined(separator: "; "), x: inside.x + 1, y: y + 1,
                width: inside.width - 2, style: look[.muted], look: look)
            canvas.clipped(
                "  latest: " + entry.explanation, x: inside.x + 1, y: y + 2, width: inside.width - 2,
                style: look[.warning], look: look)
        }
        let bottom = inside.maxY - 1
        if let note {
            canvas.cursor = note.draw(
                into: &canvas, x: inside.x + 1, y: bottom - 1, width: inside.width - 2,
                style: look[.text], promptStyle: look[.accent])
            canvas.clipped(
                "Enter settles it by hand (only after checking the store) · Esc cancels", x: inside.x + 1, y: bottom,
                width: inside.width - 2, style: look[.muted], look: look)
        } else {
            let state = writes.checking != nil ? "checking now…" : "Folio checks again every \(writes.interval.components.seconds) s"
            canvas.clipped(
                "\(state) · r check now · s settle by hand · ↑↓ choose", x: inside.x + 1, y: bottom,
                width: inside.width - 2, style: look[.muted], look: look)
        }
    }
}

extension WritesDialog: Room {
    var keymap: Keymap<Action> { note == nil ? WritesDialog.listKeys : WritesDialog.noteKeys }
    var isDialog: Bool { true }
    var title: String { "Writes of unknown outcome — keys" }
    var takesText: Bool { note != nil }

    func unavailable(_ action: Action, _ desk: Desk) -> String? {
        switch action {
        case .settle where !desk.writes.open.indices.contains(selected): "no write is open: nothing to settle"
        case .settle where desk.sending && desk.writes.open[selected].result == nil:
            "this write may be the one being sent now — wait for its answer, then settle"
        case .saveNote where note?.text.trimmingCharacters(in: .whitespaces).isEmpty != false:
            "type what you saw on the store first: the note is kept in the journal"
        default: nil
        }
    }

    mutating func type(_ key: Key) -> Bool { note?.handle(key) ?? false }
    mutating func paste(_ text: String) -> Bool {
        guard note != nil else { return false }
        note?.paste(text)
        return true
    }

    mutating func perform(_ action: Action, _ desk: inout Desk) -> [Effect] {
        let open = desk.writes.open
        switch action {
        case .down: selected = min(max(0, open.count - 1), selected + 1)
        case .up: selected = max(0, selected - 1)
        case .checkNow: desk.checkWrites(restart: true)
        case .settle:
            note = LineEditor(prompt: "what you saw on the store: ", maxLength: 200)
            settling = open[selected].reference
        case .close: desk.close()
        case .dropNote:
            note = nil
            settling = nil
        case .saveNote:
            let text = (note?.text ?? "").trimmingCharacters(in: .whitespaces)
            note = nil
            defer { settling = nil }
            // Only the write the note was written for, and only while it is still open.
            guard let reference = settling, open.contains(where: { $0.reference == reference }) else {
                desk.message = StatusMessage(.info, "that write was found meanwhile — nothing settled")
                return []
            }
            desk.settle(reference, note: text)
        }
        chosen = open.indices.contains(selected) ? open[selected].reference : nil
        return []
    }

    mutating func notice(_ notice: Notice, _ desk: inout Desk) -> [Effect] {
        guard notice == .writesChanged else { return [] }
        let open = desk.writes.open
        // The same write stays chosen when others come or go.
        if let chosen, let index = open.firstIndex(where: { $0.reference == chosen }) { selected = index }
        selected = min(selected, max(0, open.count - 1))
        chosen = open.indices.contains(selected) ? open[selected].reference : nil
        return []
    }

    func render(into canvas: inout Canvas, _ desk: Desk) { render(desk.writes, into: &canvas, area: desk.body, look: desk.look) }
}

extension AppState {
    /// Starts a check of the journal's open writes after `delay`; a newer
    /// check replaces an older one (its answer is dropped).
    mutating func checkWrites(after delay: Duration = .zero) -> [Effect] {
        let request = nextRequest()
        writes.checking = request
        return [.checkWrites(request: request, after: delay)]
    }

    /// The answer of a check: what is still open, and what was found.
    mutating func writesChecked(_ request: Int, _ result: Result<[JournalEntry], FolioError>) -> [Effect] {
        guard writes.checking == request else { return [] }
        writes.checking = nil
        switch result {
        case .failure(let error):
            writes.problem = error.message
            return []
        case .success(let looked):
            writes.problem = nil
            // `looked` holds the writes that were open, as they now stand.
            let found = looked.filter { $0.status == .done }
            writes.open = looked.filter(\.isOpen)
            var effects = tell(.writesChanged)
            if let done = found.last {
                message = StatusMessage(.success, "done · \(done.explanation) · was of unknown outcome, now found · ref \(done.reference)")
                effects += runList { list, desk in list.reload(&desk) }
                for each in found { effects += tell(.writeFound(reference: each.reference.value)) }
            }
            if !writes.open.isEmpty { effects += checkWrites(after: writes.interval) }
            return effects
        }
    }
}
