import FolioCore
import FolioTerminal
import Foundation

/// `e`: resend the invoice email, as the support desk does it. Names the
/// recipient and when the email last went out and by whom (the order's
/// history, read as the dialog opens); takes an optional comment for the
/// customer; a second send within the resend window asks why first. Sent
/// once; afterwards Folio notes it in the order's history.
struct EmailDialog: Sendable, Equatable {
    let invoiceId: Int64
    let number: String
    let orderNumber: String?
    let recipient: String?
    let emailSent: Bool?
    var comment = LineEditor(prompt: "comment: ", maxLength: OperationReference.commentRoom)
    /// Why it goes again, asked only within the window.
    var reason = LineEditor(prompt: "why again: ", maxLength: ResendPolicy.reasonRoom)
    var stage = Stage.compose
    /// What is known of earlier sends; nil while it is looked up.
    var check: ResendCheck?
    var checking: Int?
    /// When the check's answer came: an old one is read again before sending (another clerk may have sent since).
    var checkedAt: Date?
    /// Enter came before the check's answer: it goes (or asks why) once the answer is in.
    var sendWhenChecked = false
    var write = DialogWrite(noun: "resend", mayHave: "gone out")

    enum Stage: Sendable, Equatable {
        case compose
        /// Sent within the window: the reason is asked before anything goes.
        case reason
    }

    init(invoiceId: Int64, number: String, orderNumber: String?, recipient: String?, emailSent: Bool?) {
        self.invoiceId = invoiceId
        self.number = number
        self.orderNumber = orderNumber
        self.recipient = recipient
        self.emailSent = emailSent
    }

    var sending: Int? { write.sending }

    /// Said while an early Enter waits for the check; taken back when it goes.
    static let waitingForTheCheck = StatusMessage(.info, "checking when it was last sent — it goes once that is known")
    var problem: String? { write.problem }

    enum Action: Sendable, Equatable { case send, cancel }

    static let keymap = Keymap<Action>([
        Binding(
            [.enter], .send,
            "send the email, once; within the resend window (10 minutes unless configured) it first asks why it goes again; a failure keeps the dialog and your comment"
        ),
        Binding([.escape], .cancel, "close without sending"),
    ])
    static let reasonKeys = Keymap<Action>([
        Binding([.enter], .send, "send it again, with this reason (it goes in the order's history, not to the customer)"),
        Binding([.escape], .cancel, "do not send it again: back to the comment"),
    ])
    /// While the email is out: nothing sends again, nothing closes the dialog before the answer.
    static let sendingKeys = DialogWrite.sendingKeys(send: Action.send, cancel: .cancel)

    /// Sent within the window, as far as is known now.
    func isRepeat(_ desk: Desk) -> Bool { ResendPolicy.isRepeat(check?.last, window: desk.resendWindow, now: desk.now) }

    private func lastSentLine(_ desk: Desk) -> (String, Theme.Slot) {
        guard let check else { return ("last sent: checking the order's history…", .muted) }
        // The recipient is on the line above; another address of an earlier send is named.
        var last = check.last
        if last?.to == recipient { last?.to = nil }
        var text = "last sent: " + ResendPolicy.describe(last, now: desk.now)
        if let problem = check.historyProblem { text += " (history not read: \(problem))" }
        return (text, isRepeat(desk) ? .warning : .muted)
    }

    func render(into canvas: inout Canvas, _ desk: Desk) {
        let (last, slot) = lastSentLine(desk)
        var rows: [FormBox.Row] = [
            .text("to: " + (recipient ?? "the customer's address on the invoice"), .text, drop: 2), .text(last, slot, drop: 3),
            .field(comment, active: stage == .compose && write.sending == nil),
        ]
        if stage == .reason {
            rows.append(.text("It went out \(minutes(desk)) ago — why send it again?", .warning))
            rows.append(.field(reason, active: write.sending == nil))
        }
        if let problem = write.problem { rows.append(.text(problem, .error, drop: 1)) }
        let idle = stage == .reason ? "Enter sends again · Esc goes back" : "Enter sends · Esc cancels"
        FormBox.draw(
            title: "Resend the email of invoice \(number)", width: 72, rows: rows, hint: write.hint(idle),
            hintSlot: write.sending != nil ? .accent : .muted, into: &canvas, area: desk.body, look: desk.look)
    }

    private func minutes(_ desk: Desk) -> String {
        guard let at = check?.last?.at else { return "a moment" }
        let ago = ResendPolicy.ago(at, now: desk.now)
        return ago.hasSuffix(" ago") ? String(ago.dropLast(4)) : "a moment"
    }
}

extension EmailDialog: Room {
    var keymap: Keymap<Action> {
        write.sending != nil ? EmailDialog.sendingKeys : stage == .reason ? EmailDialog.reasonKeys : EmailDialog.keymap
    }
    var isDialog: Bool { true }
    var title: String { "Resend the email — keys" }
    /// Once Enter is pressed nothing more is typed: what goes is what was there.
    var takesText: Bool { write.sending == nil && !sendWhenChecked }
    var waiting: String? { write.sending != nil ? "sending" : checking != nil ? "checking" : nil }
    var isSending: Bool { write.sending != nil }

    func unavailable(_ action: Action, _ desk: Desk) -> String? {
        write.sending != nil ? "the email is being sent — wait for the store's answer" : nil
    }

    mutating func opened(_ desk: inout Desk) -> [Effect] { recheck(&desk) }

    /// Reads the history and the journal (again).
    private mutating func recheck(_ desk: inout Desk) -> [Effect] {
        let request = desk.request()
        checking = request
        check = nil
        return [
            .checkResend(
                request: request, invoiceId: invoiceId, number: number, orderNumber: orderNumber, emailSent: emailSent,
                recipient: recipient)
        ]
    }

    /// Typing while the email is out changes nothing; Q, ? and W still act.
    mutating func type(_ key: Key) -> Bool {
        guard takesText else { return false }
        return stage == .reason ? reason.handle(key) : comment.handle(key)
    }
    mutating func paste(_ text: String) -> Bool {
        guard takesText else { return false }
        if stage == .reason { reason.paste(text) } else { comment.paste(text) }
        return true
    }

    mutating func perform(_ action: Action, _ desk: inout Desk) -> [Effect] {
        switch (action, stage) {
        case (.cancel, .reason):
            // Not again: nothing sent, and no "send anyway" carried back to the comment.
            stage = .compose
            write.problem = nil
            write.pendingConfirm = nil
            return []
        case (.cancel, .compose):
            desk.close()
            return []
        case (.send, _) where check == nil || (checkedAt.map { desk.now.timeIntervalSince($0) > 60 } ?? false):
            // Not known yet, or known a while ago: read it (again) and go on once the answer is in.
            sendWhenChecked = true
            desk.message = EmailDialog.waitingForTheCheck
            return check == nil ? [] : recheck(&desk)
        case (.send, .compose) where isRepeat(desk):
            stage = .reason
            write.problem = nil
            return []
        case (.send, _):
            var why: String?
            if stage == .reason {
                do throws(FolioError) {
                    why = try ResendPolicy.checkedReason(reason.text)
                } catch {
                    write.problem = error.message
                    return []
                }
            }
            let (request, evenIfPending) = write.start(&desk)
            let resend = Resend(
                invoiceId: invoiceId, invoiceNumber: number, orderNumber: orderNumber, recipient: recipient,
                comment: comment.text, again: check?.last != nil, reason: why, clerk: desk.clerk)
            return [.sendEmail(request: request, resend: resend, evenIfPending: evenIfPending)]
        }
    }

    /// The check's answer and the resend's. Success closes the dialog and
    /// refreshes what shows the email flag and the history; a failed email
    /// keeps the dialog, its comment and the reason, and shows no success.
    mutating func receive(_ event: Event, _ desk: inout Desk) -> [Effect] {
        switch event {
        case .resendChecked(let request, let found) where request == checking:
            checking = nil
            check = found
            checkedAt = desk.now
            guard sendWhenChecked else { return [] }
            sendWhenChecked = false
            if desk.message == EmailDialog.waitingForTheCheck { desk.message = nil }
            // Unread history: the clerk sees that first, and Enter sends.
            if let problem = found.historyProblem {
                write.problem = problem + " — Enter sends all the same"
                return []
            }
            return perform(.send, &desk)
        case .emailSent(let request, let result):
            let failed = { if case .failure = result { true } else { false } }()
            guard let report = write.finish(request, result, &desk) else {
                // A refused send is in the order's history too (and Folio's note of it): the invoice on screen shows it.
                if failed, write.problem != nil { desk.tell(.invoiceChanged(id: invoiceId)) }
                // An earlier resend may have gone out: read again, so that sending anyway is a repeat with a reason.
                if write.pendingConfirm != nil { return recheck(&desk) }
                return []
            }
            desk.reloadList()
            desk.tell(.invoiceChanged(id: invoiceId))
            let said = report.note?.said(order: orderNumber ?? "?")
            let noted = said.map { "; " + $0.text } ?? ""
            if case .failure(.outcomeUnknown)? = report.note { desk.checkWrites(restart: true) }
            guard report.resent.emailSent else {
                write.problem =
                    "the store took the request but says the email was not sent (ref \(report.resent.reference))\(noted)"
                return []
            }
            desk.close()
            let to = recipient.map { " to \($0)" } ?? ""
            desk.message = StatusMessage(
                said?.fine == false ? .warning : .success,
                "done · email of invoice \(number) sent\(to) (ref \(report.resent.reference))\(noted)")
        default:
            break
        }
        return []
    }
}
