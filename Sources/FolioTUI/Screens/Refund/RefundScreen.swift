import FolioCore
import FolioTerminal
import Foundation

/// `R` on an invoice: refund from it (a credit memo). Money goes back, so
/// nothing is chosen until the clerk chooses: the lines with what was
/// invoiced, refunded and is left; the picker of the create screen (the
/// same keys and rule, never more than is left); shipping and the two
/// adjustments typed as exact amounts; offline unless the invoice was
/// captured online; then a review that previews every figure as the store
/// will book it, and one journaled send. State and keys live here; the
/// update in RefundUpdate, the drawing in RefundRender.
struct RefundState: Sendable {
    enum Stage: Sendable, Equatable {
        case loading(request: Int)
        /// The invoice did not load: why, and `r` to try again.
        case unloaded(String)
        case form
        /// The review names exactly what will be sent.
        case review(RefundPlan)
        case sending(request: Int, RefundPlan)
    }
    enum Focus: Sendable, Equatable, CaseIterable { case items, shipping, credit, fee, refundType, email, comment }

    let invoiceNumber: String
    var stage: Stage = .loading(request: 0)
    var source: RefundSource?
    var picker = QuantityPicker(lines: [], verb: "refund", all: false)
    var focus: Focus = .items
    var shipping = LineEditor(prompt: "Shipping     ", maxLength: 24)
    var credit = LineEditor(prompt: "Extra credit ", maxLength: 24)
    var fee = LineEditor(prompt: "Fee          ", maxLength: 24)
    var refundType: RefundType = .offline
    var sendEmail = false
    /// The audit trail's words (the order's history); empty is none.
    var comment = LineEditor(prompt: "Comment      ", maxLength: OperationReference.commentRoom)
    /// Why the last key or the last send did not go through.
    var problem: String?
    /// The last send's outcome is unknown: the refund may be booked. The old
    /// plan is gone; the invoice is reloaded as the store has it now.
    var unknown: (reference: String, reason: String)?
    /// The review was refused because this reference is still unknown on the
    /// invoice: y again sends anyway.
    var pendingConfirm: String?
    var reviewScroll = 0
    /// A refund of unknown outcome was found booked while this one was out:
    /// what is left changed, so the answer reads the invoice again.
    var foundWhileSending = false

    init(invoiceNumber: String) { self.invoiceNumber = invoiceNumber }

    var takesText: Bool { stage == .form && [.shipping, .credit, .fee, .comment].contains(focus) }

    /// Why an online refund cannot be asked for (the store refunds online only money it captured online).
    var onlineRefusal: String? { source == nil ? "the invoice is not loaded" : source?.onlineRefusal }

    /// The amount typed in a field: zero when empty; nil (with why) when it is not an amount.
    static func amount(_ field: LineEditor, _ name: String) -> Result<Decimal, FolioError> {
        let text = field.text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return .success(0) }
        guard let value = Decimal(exactly: text) else {
            return .failure(.invalidInput("\(name): \"\(text)\" is not an amount — type it like 4.95"))
        }
        return .success(value)
    }

    /// The plan the form describes, checked as the store will check it.
    func plan() throws(FolioError) -> RefundPlan {
        guard let source else { throw .invalidInput("the invoice is not loaded") }
        return try RefundPlan(
            source: source, quantities: picker.quantities.filter { $0.value > 0 },
            shipping: try Self.amount(shipping, "shipping").get(), adjustmentPositive: try Self.amount(credit, "extra credit").get(),
            adjustmentNegative: try Self.amount(fee, "fee").get(), refundType: refundType, sendEmail: sendEmail,
            comment: comment.text)
    }

    /// Takes the invoice as the store has it now, and a form anew: nothing
    /// chosen, amounts and comment empty, offline, no email. Every read of
    /// the invoice starts over, so no plan made on older figures survives it.
    mutating func take(_ loaded: RefundSource) {
        source = loaded
        picker = QuantityPicker(
            lines: loaded.lines.map {
                .init(id: $0.orderItemId, sku: $0.sku, left: $0.refundable, isDecimal: loaded.decimalItems.contains($0.orderItemId))
            }, verb: "refund", all: false)
        clearForm()
        stage = .form
        focus = .items
        let left = loaded.lines.contains { $0.refundable > 0 } || loaded.refundableShipping > 0
        problem =
            loaded.state == .canceled
            ? "invoice \(loaded.invoiceNumber) is canceled: nothing to refund"
            : left ? nil : "invoice \(loaded.invoiceNumber) has nothing left to refund"
    }

    /// Drops every choice: after an unknown outcome the plan sent must not come back.
    mutating func clearForm() {
        picker = QuantityPicker(lines: picker.lines, verb: "refund", all: false)
        for field in [\RefundState.shipping, \.credit, \.fee, \.comment] {
            self[keyPath: field] = LineEditor(prompt: self[keyPath: field].prompt, maxLength: self[keyPath: field].maxLength)
        }
        refundType = .offline
        sendEmail = false
        pendingConfirm = nil
        reviewScroll = 0
    }
}

enum RefundAction: Sendable, Equatable {
    case reload
    case review, nextField, previousField
    case pick(QuantityPicker.Action)
    case allShipping
    case nextType, toggleEmail
    case send, edit, scrollDown, scrollUp
    case leave, quit
}

extension RefundState: Room {
    static let leave = Binding<RefundAction>([.escape], .leave, "leave without refunding anything", hint: "cancel")

    static let reread = Binding<RefundAction>(
        [.character("r")], .reload, "read the invoice again, as the store has it now (what was chosen is cleared)")

    static let waitKeys = Keymap<RefundAction>([
        Binding([.character("r")], .reload, "load the invoice again", hint: "retry"),
        leave,
    ])

    /// Every field of the form: Tab moves between them, Enter reviews, Esc leaves.
    static let formKeys: [Binding<RefundAction>] = [
        Binding(
            [.tab], .nextField, "next field: items → shipping → extra credit → fee → refund type → email → comment", hint: "fields"),
        Binding([.backTab], .previousField, "the field before"),
        Binding([.enter], .review, "review exactly what will be refunded, to the cent", hint: "review"),
        leave,
    ]

    static let itemKeys = Keymap<RefundAction>(
        QuantityPicker.bindings(verb: "refund", allNote: "shipping is its own field").map { $0.map(RefundAction.pick) } + [reread]
            + formKeys)

    /// Shipping is a typed amount (at most the currency's decimals); empty is none.
    static let shippingKeys = Keymap<RefundAction>(
        [Binding([.control("t")], .allShipping, "all the shipping that is left to refund (the field says how much)", hint: "all")]
            + formKeys)

    /// Extra credit and fee are typed amounts too: exact, at most the currency's decimals; empty is none.
    static let amountKeys = Keymap<RefundAction>(formKeys)

    static let typeKeys = Keymap<RefundAction>(
        [
            Binding(
                [.character(" "), .left, .right], .nextType,
                "offline (records the refund; the default) or online (the payment method sends the money back: only for an invoice captured online)",
                hint: "switch", hintKeys: "space"), reread,
        ] + formKeys)

    static let emailKeys = Keymap<RefundAction>(
        [
            Binding(
                [.character(" "), .left, .right], .toggleEmail, "email the credit memo to the customer, or not", hint: "switch",
                hintKeys: "space"), reread,
        ] + formKeys)

    /// The comment is text: every printable key is typed, `?` and `q` too.
    static let commentKeys = Keymap<RefundAction>(formKeys)

    static let reviewKeys = Keymap<RefundAction>([
        Binding(
            [.character("y"), .enter], .send,
            "refund it (once: no key sends again or leaves while it is out); after \"write of unknown outcome (ref R)\", y again sends anyway",
            hint: "refund"),
        Binding([.escape, .character("n")], .edit, "back to the form, everything as it was", hint: "back"),
        Binding([.down, .character("j")], .scrollDown, "scroll the review (a short terminal)"),
        Binding([.up, .character("k")], .scrollUp, "scroll the review up"),
    ])

    static let sendingKeys = Keymap<RefundAction>([
        Binding([.character("y"), .enter], .send, "(refunding: nothing; the answer is on its way)"),
        Binding([.escape], .leave, "(refunding: cannot leave until the store answers)"),
        Binding([.character("q")], .quit, "quit; the refund's outcome is looked for at the next start", hint: "quit"),
    ])

    var keymap: Keymap<RefundAction> {
        switch stage {
        case .loading, .unloaded: RefundState.waitKeys
        case .review: RefundState.reviewKeys
        case .sending: RefundState.sendingKeys
        case .form:
            switch focus {
            case .items: RefundState.itemKeys
            case .shipping: RefundState.shippingKeys
            case .credit, .fee: RefundState.amountKeys
            case .refundType: RefundState.typeKeys
            case .email: RefundState.emailKeys
            case .comment: RefundState.commentKeys
            }
        }
    }

    var title: String { "Refund — keys" }
    var isSending: Bool { if case .sending = stage { true } else { false } }

    var waiting: String? {
        switch stage {
        case .loading: "loading"
        case .sending: "refunding"
        default: nil
        }
    }

    var standing: StatusMessage? {
        if let problem { return StatusMessage(.error, problem) }
        return unknown.map { StatusMessage(.warning, "outcome unknown · ref \($0.reference) · \($0.reason) — the refund may be booked") }
    }

    func unavailable(_ action: RefundAction, _ desk: Desk) -> String? {
        switch (stage, action) {
        case (.sending, .send): "the refund is being sent — the answer is on its way"
        case (.sending, .leave): "the refund is being sent — wait for the answer (q quits; the journal keeps the write)"
        case (.loading, .reload): "the invoice is still loading"
        case (.form, .review) where source?.state == .canceled: "invoice \(invoiceNumber) is canceled: nothing to refund — Esc leaves"
        default: nil
        }
    }

    func render(into canvas: inout Canvas, _ desk: Desk) { RefundView(desk: desk).render(self, into: &canvas) }
}
