import FolioCore
import FolioTerminal
import Foundation

/// `c`: invoice an order. The picker makes the right thing easy (all that
/// remains is the default, as store admins do) and the wrong thing
/// impossible: a quantity above what remains is refused on the spot, nothing
/// is sent without a review, and the send key does nothing while a request
/// is out. State, keys and update live here; drawing is in CreateRender.
struct CreateState: Sendable {
    enum Stage: Sendable, Equatable {
        /// Typing the order number.
        case askOrder
        case loadingOrder(request: Int)
        case form
        /// The review names exactly what will be sent.
        case review(CapturePlan)
        case sending(request: Int, CapturePlan)
    }
    enum Focus: Sendable, Equatable, CaseIterable { case items, capture, email, comment }

    var stage: Stage = .askOrder
    var orderNumber = LineEditor(prompt: "order #: ", maxLength: 32)
    var order: Order?
    /// The quantity to invoice of each order item.
    var picker = QuantityPicker(lines: [], verb: "invoice", all: true)
    var focus: Focus = .items
    var capture: CaptureMode = .offline
    var sendEmail = false
    var comment: LineEditor
    /// Why the last key or the last send did not go through.
    var problem: String?
    /// Orders that can still be invoiced, a server page at a time, to pick
    /// from instead of typing a number; `pick` is the row chosen (nil: typing).
    var orders: Page<Order>?
    var ordersLoading: Int?
    var pick: Int?
    /// The last send's outcome is unknown: the invoice may exist. The old
    /// plan is gone; the order is reloaded and its newest invoices shown.
    var unknown: (reference: String, reason: String)?
    /// The order's invoices, newest first, after an unknown or a pending refusal.
    var recentInvoices: [InvoiceSummary]?
    var invoicesLoading: Int?
    /// The review was refused because this reference is still unknown on the
    /// order: y again sends anyway.
    var pendingConfirm: String?
    /// The first line of the review shown (a short terminal scrolls it).
    var reviewScroll = 0

    /// The comment goes to the customer with the invoice email, so the default names no clerk and no machine.
    /// With an order number (`c` on an invoice) it looks that order up at once.
    init(orderNumber: String? = nil) {
        comment = LineEditor(prompt: "comment: ", text: "Invoiced via Folio", maxLength: OperationReference.commentRoom)
        if let orderNumber { self.orderNumber = LineEditor(prompt: "order #: ", text: orderNumber, maxLength: 32) }
        startsWithOrder = orderNumber != nil
    }
    /// Opened for a known order: no list of orders to pick from.
    let startsWithOrder: Bool

    /// Whether letters typed now are text (so the generic letter keys stay off).
    var takesText: Bool {
        switch stage {
        case .askOrder: return true
        case .form: return focus == .comment
        default: return false
        }
    }

    /// The quantity to invoice, by order item id.
    var quantities: [Int64: Decimal] { picker.quantities }
    var selected: Int { picker.selected }

    /// Sum of the chosen quantities at their unit prices.
    var subtotal: Money? {
        guard let order else { return nil }
        var total = Decimal(0)
        for item in order.items { total += (item.price?.amount ?? 0) * (quantities[item.id] ?? 0) }
        return Money(total, order.currency)
    }

    mutating func takeOrder(_ loaded: Order) {
        order = loaded
        picker = QuantityPicker(
            lines: loaded.items.map { .init(id: $0.id, sku: $0.sku, left: $0.qtyToInvoice, isDecimal: $0.isQtyDecimal) },
            verb: "invoice", all: true)
        stage = .form
        focus = .items
        problem = loaded.items.contains { $0.qtyToInvoice > 0 } ? nil : "order \(loaded.incrementId) has nothing left to invoice"
    }
}

enum CreateAction: Sendable, Equatable {
    // Asking for the order.
    case lookUp, pickDown, pickUp
    case ordersPage(forward: Bool)
    // The form.
    case review, nextField, previousField
    case pick(QuantityPicker.Action)
    case nextMode, previousMode, toggleEmail
    // The review.
    case send, edit, scrollDown, scrollUp
    case leave, quit
}

extension CreateState: Room {
    static let leave = Binding<CreateAction>([.escape], .leave, "leave without creating anything", hint: "cancel")

    static let askKeys = Keymap<CreateAction>([
        Binding([.enter], .lookUp, "look the order number up (or the order picked below)", hint: "look up"),
        Binding([.down], .pickDown, "pick from the orders that can still be invoiced", hint: "pick", hintKeys: "↑↓"),
        Binding([.up], .pickUp, "back up the list of orders (above the first: type a number)"),
        Binding([.pageDown], .ordersPage(forward: true), "next page of orders"),
        Binding([.pageUp], .ordersPage(forward: false), "previous page of orders"),
        leave,
    ])

    static let waitKeys = Keymap<CreateAction>([leave])

    /// Every field of the form: Tab moves between them, Enter reviews, Esc leaves.
    static let formKeys: [Binding<CreateAction>] = [
        Binding(
            [.tab], .nextField,
            "next field: items → capture mode → email on create → comment (pre-filled \"Invoiced via Folio\": it goes to the customer with the email, so it names no clerk or machine)",
            hint: "options"),
        Binding([.backTab], .previousField, "the field before"),
        Binding([.enter], .review, "review exactly what will be sent", hint: "review"),
        leave,
    ]

    static let itemKeys = Keymap<CreateAction>(
        QuantityPicker.bindings(verb: "invoice", allNote: "the default: a full capture").map { $0.map(CreateAction.pick) }
            + formKeys)

    static let captureKeys = Keymap<CreateAction>(
        [
            Binding([.right, .character(" ")], .nextMode, "capture mode: offline → online → no capture", hint: "mode", hintKeys: "←→"),
            Binding([.left], .previousMode, "the capture mode before"),
        ] + formKeys)

    static let emailKeys = Keymap<CreateAction>(
        [
            Binding(
                [.character(" "), .left, .right], .toggleEmail, "send the invoice email on create, or not", hint: "switch",
                hintKeys: "space")
        ] + formKeys)

    /// The comment is text: every printable key is typed, `?` and `q` too.
    static let commentKeys = Keymap<CreateAction>(formKeys)

    static let reviewKeys = Keymap<CreateAction>([
        Binding(
            [.character("y"), .enter], .send,
            "send it (once: no key sends again or leaves while it is out); after \"write of unknown outcome (ref R)\", y again sends anyway",
            hint: "send"),
        Binding([.escape, .character("n")], .edit, "back to the form, everything as it was", hint: "back"),
        Binding([.down, .character("j")], .scrollDown, "scroll the review (a short terminal)"),
        Binding([.up, .character("k")], .scrollUp, "scroll the review up"),
    ])

    static let sendingKeys = Keymap<CreateAction>([
        Binding([.character("y"), .enter], .send, "(sending: nothing; the answer is on its way)"),
        Binding([.escape], .leave, "(sending: cannot leave until the store answers)"),
        Binding([.character("q")], .quit, "quit; the write's outcome is looked for at the next start", hint: "quit"),
    ])

    var keymap: Keymap<CreateAction> {
        switch stage {
        case .askOrder: CreateState.askKeys
        case .loadingOrder: CreateState.waitKeys
        case .review: CreateState.reviewKeys
        case .sending: CreateState.sendingKeys
        case .form:
            switch focus {
            case .items: CreateState.itemKeys
            case .capture: CreateState.captureKeys
            case .email: CreateState.emailKeys
            case .comment: CreateState.commentKeys
            }
        }
    }

    var title: String { "Create an invoice — keys" }
    var isSending: Bool { if case .sending = stage { true } else { false } }

    var waiting: String? {
        switch stage {
        case .loadingOrder: "loading"
        case .sending: "sending"
        // What is on screen and still to come: the orders to pick from, or the order's newest invoices.
        case .askOrder: ordersLoading != nil ? "loading" : nil
        case .form, .review: invoicesLoading != nil ? "loading" : nil
        }
    }

    var standing: StatusMessage? {
        if let problem { return StatusMessage(.error, problem) }
        return unknown.map { StatusMessage(.warning, "outcome unknown · ref \($0.reference) · \($0.reason) — the invoice may exist") }
    }

    func unavailable(_ action: CreateAction, _ desk: Desk) -> String? {
        switch (stage, action) {
        case (.sending, .send): "the invoice is being sent — the answer is on its way"
        case (.sending, .leave): "the invoice is being sent — wait for the answer (q quits; the journal keeps the write)"
        case (.askOrder, .ordersPage) where ordersLoading != nil: "the orders are still loading"
        case (.form, .review) where order.map({ o in o.items.allSatisfy { $0.qtyToInvoice <= 0 } }) == true:
            "order \(order?.incrementId ?? "") has nothing left to invoice — Esc leaves"
        default: nil
        }
    }
}
