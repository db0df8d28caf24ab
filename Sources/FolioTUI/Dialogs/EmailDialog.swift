import FolioCore
import FolioTerminal

/// `e`: resend the invoice email. Names the recipient, takes an optional
/// comment, and sends once: while the request is out, Enter does nothing,
/// so a double press never sends twice. A failure keeps the dialog and the
/// comment, with the reason, ready to try again.
struct EmailDialog: Sendable, Equatable {
    let invoiceId: Int64
    let number: String
    let recipient: String?
    var comment = LineEditor(prompt: "comment: ", maxLength: OperationReference.commentRoom)
    /// The request in flight, if any.
    var sending: Int?
    var problem: String?
    /// An earlier resend of this invoice is of unknown outcome (its
    /// reference): Enter again sends anyway.
    var pendingConfirm: String?

    init(invoiceId: Int64, number: String, recipient: String?) {
        self.invoiceId = invoiceId
        self.number = number
        self.recipient = recipient
    }

    enum Action: Sendable, Equatable { case send, cancel }

    static let keymap = Keymap<Action>([
        Binding(
            [.enter], .send,
            "send the email, once (Enter again does nothing while it is out); after a failure the dialog and the comment stay, and Enter tries again"
        ),
        Binding([.escape], .cancel, "close without sending"),
    ])
    /// While the email is out: nothing sends again, nothing closes the dialog before the answer.
    static let sendingKeys = Keymap<Action>([
        Binding([.enter], .send, "(sending: nothing; the answer is on its way)"),
        Binding([.escape, .character("q")], .cancel, "(sending: the dialog stays until the store answers)"),
    ])

    /// Recipient, comment, problem and hint, a blank line between them when
    /// there is room; on a short terminal without the blanks, leaving out the
    /// recipient, then the problem, when even that does not fit (the comment
    /// being typed and the keys always show).
    func render(into canvas: inout Canvas, area: Rect, look: Look) {
        let inside = canvas.box(area.centered(width: 64, height: 8), title: "Resend the email of invoice \(number)", look: look)
        let hint =
            sending != nil
            ? "sending…"
            : pendingConfirm != nil
                ? "Enter sends anyway · Esc cancels"
                : problem != nil ? "Enter tries again · Esc cancels" : "Enter sends · Esc cancels"
        enum Row { case recipient, comment, problem, hint }
        var rows: [Row] = [.recipient, .comment] + (problem != nil ? [.problem] : []) + [.hint]
        if inside.height < rows.count { rows.removeAll { $0 == .recipient } }
        if inside.height < rows.count { rows.removeAll { $0 == .problem } }
        let spaced = inside.height >= 6
        var y = inside.y
        for row in rows where y < inside.maxY {
            switch row {
            case .recipient:
                canvas.clipped(
                    "to: " + (recipient ?? "the customer's address on the invoice"), x: inside.x + 1, y: y,
                    width: inside.width - 2, style: look[.text], look: look)
            case .comment:
                let cursor = comment.draw(
                    into: &canvas, x: inside.x + 1, y: y, width: inside.width - 2,
                    style: look[.text], promptStyle: look[.muted])
                canvas.cursor = sending == nil ? cursor : nil
            case .problem:
                canvas.clipped(problem ?? "", x: inside.x + 1, y: y, width: inside.width - 2, style: look[.error], look: look)
            case .hint:
                if spaced { y = inside.y + 5 }
                canvas.clipped(
                    hint, x: inside.x + 1, y: y, width: inside.width - 2,
                    style: look[sending != nil ? .accent : .muted], look: look)
            }
            y += spaced && row != .problem ? 2 : 1
        }
    }
}

extension EmailDialog: Room {
    var keymap: Keymap<Action> { sending == nil ? EmailDialog.keymap : EmailDialog.sendingKeys }
    var isDialog: Bool { true }
    var title: String { "Resend the email — keys" }
    var takesText: Bool { sending == nil }
    var waiting: String? { sending != nil ? "sending" : nil }
    var isSending: Bool { sending != nil }

    func unavailable(_ action: Action, _ desk: Desk) -> String? {
        sending == nil ? nil : "the email is being sent — wait for the store's answer"
    }

    /// Typing while the email is out changes nothing; Q, ? and W still act.
    mutating func type(_ key: Key) -> Bool { sending == nil && comment.handle(key) }
    mutating func paste(_ text: String) -> Bool {
        guard sending == nil else { return false }
        comment.paste(text)
        return true
    }

    mutating func perform(_ action: Action, _ desk: inout Desk) -> [Effect] {
        switch action {
        case .cancel:
            desk.close()
            return []
        case .send:
            let request = desk.request()
            sending = request
            problem = nil
            return [
                .sendEmail(
                    request: request, invoiceId: invoiceId, number: number, comment: comment.text,
                    evenIfPending: pendingConfirm != nil)
            ]
        }
    }

    /// The resend's answer. Success closes the dialog and refreshes what shows
    /// the email flag; failure keeps the dialog, its comment and the reason.
    mutating func receive(_ event: Event, _ desk: inout Desk) -> [Effect] {
        guard case .emailSent(let request, let result) = event, sending == request else { return [] }
        sending = nil
        let anyway = pendingConfirm
        pendingConfirm = nil
        switch result {
        case .failure(.pendingWrite(_, let reference)) where anyway == nil:
            pendingConfirm = reference
            problem = "an earlier resend (ref \(reference)) is of unknown outcome — it may have gone out"
            desk.checkWrites()
        case .failure(.earlierWriteDone(_, _, let reference)) where anyway == nil:
            pendingConfirm = reference
            problem = "the earlier resend (ref \(reference)) did go out after all"
        case .failure(.outcomeUnknown(let what, let reference, _)):
            // Never offered again as it was: the dialog closes, the journal keeps looking.
            desk.close()
            desk.message = StatusMessage(
                .warning, "outcome unknown: \(what) may have gone out (ref \(reference)) — Folio keeps looking; W shows it")
            desk.checkWrites(restart: true)
        case .failure(let error):
            problem = error.message
            // A refused send is in the order's history too: the invoice on screen shows it.
            desk.tell(.invoiceChanged(id: invoiceId))
        case .success(let resent):
            desk.close()
            let to = recipient.map { " to \($0)" } ?? ""
            desk.message =
                resent.emailSent
                ? StatusMessage(.success, "done · email of invoice \(number) sent\(to) (ref \(resent.reference))")
                : StatusMessage(
                    .warning, "the store took the request but says the email of \(number) was not sent (ref \(resent.reference))")
            desk.reloadList()
            desk.tell(.invoiceChanged(id: invoiceId))
        }
        return []
    }

    func render(into canvas: inout Canvas, _ desk: Desk) { render(into: &canvas, area: desk.body, look: desk.look) }
}
