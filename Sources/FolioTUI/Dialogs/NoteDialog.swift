import FolioCore
import FolioTerminal

/// `N` on an invoice: an internal note on its order's history — not shown
/// to the customer, nobody emailed. Sent once as a journaled write with an
/// operation reference; a refusal keeps the dialog and the words.
struct NoteDialog: Sendable, Equatable {
    let orderNumber: String
    let invoiceId: Int64
    let invoiceNumber: String
    var note = LineEditor(prompt: "note: ", maxLength: NoteText.room)
    var write = DialogWrite(noun: "note", mayHave: "been added")

    init(orderNumber: String, invoiceId: Int64, invoiceNumber: String) {
        self.orderNumber = orderNumber
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
    }

    enum Action: Sendable, Equatable { case send, cancel }

    static let keymap = Keymap<Action>([
        Binding([.enter], .send, "add the note, once; a refusal keeps the dialog and your words"),
        Binding([.escape], .cancel, "close without adding it"),
    ])
    static let sendingKeys = DialogWrite.sendingKeys(send: Action.send, cancel: .cancel)
}

extension NoteDialog: Room {
    var keymap: Keymap<Action> { write.sending != nil ? NoteDialog.sendingKeys : NoteDialog.keymap }
    var isDialog: Bool { true }
    var title: String { "Internal note — keys" }
    var takesText: Bool { write.sending == nil }
    var waiting: String? { write.sending != nil ? "sending" : nil }
    var isSending: Bool { write.sending != nil }

    func unavailable(_ action: Action, _ desk: Desk) -> String? {
        write.sending == nil ? nil : "the note is being sent — wait for the store's answer"
    }

    mutating func type(_ key: Key) -> Bool { write.sending == nil && note.handle(key) }
    mutating func paste(_ text: String) -> Bool {
        guard write.sending == nil else { return false }
        note.paste(text)
        return true
    }

    mutating func perform(_ action: Action, _ desk: inout Desk) -> [Effect] {
        switch action {
        case .cancel:
            desk.close()
            return []
        case .send:
            let text: String
            do throws(FolioError) {
                text = try NoteText.checked(note.text)
            } catch {
                write.problem = error.message
                return []
            }
            let (request, evenIfPending) = write.start(&desk)
            return [
                .addNote(
                    request: request, orderNumber: orderNumber, invoiceNumber: invoiceNumber, text: text,
                    evenIfPending: evenIfPending)
            ]
        }
    }

    mutating func receive(_ event: Event, _ desk: inout Desk) -> [Effect] {
        guard case .noteAdded(let request, let result) = event, let added = write.finish(request, result, &desk) else { return [] }
        desk.close()
        desk.message = StatusMessage(
            added.isInternal ? .success : .warning,
            "done · internal note added to order \(orderNumber) (ref \(added.reference))"
                + (added.reconciled ? ", found by its reference after the answer was lost" : "")
                + (added.isInternal ? "" : " — but the store shows it to the customer: check the order"))
        desk.tell(.invoiceChanged(id: invoiceId))
        return []
    }

    func render(into canvas: inout Canvas, _ desk: Desk) {
        FormBox.draw(
            title: "Internal note on order \(orderNumber)", width: 72,
            rows: [
                .text("Not shown to the customer; nobody is emailed.", .muted, drop: 2),
                .field(note, active: write.sending == nil),
            ] + (write.problem.map { [.text($0, .error, drop: 1)] } ?? []),
            hint: write.hint("Enter adds it · Esc cancels"), hintSlot: write.sending != nil ? .accent : .muted,
            into: &canvas, area: desk.body, look: desk.look)
    }
}
