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
    /// The quantity to invoice, by order item id.
    var quantities: [Int64: Decimal] = [:]
    var selected = 0
    /// Digits typed for the selected item, while typing.
    var typed: String?
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
    private let startsWithOrder: Bool

    /// Whether letters typed now are text (so the generic letter keys stay off).
    var takesText: Bool {
        switch stage {
        case .askOrder: return true
        case .form: return focus == .comment
        default: return false
        }
    }

    /// Items that can still take a quantity (the others are dimmed and skipped).
    func open(_ index: Int) -> Bool { order.map { $0.items.indices.contains(index) && $0.items[index].qtyToInvoice > 0 } ?? false }

    var selectedItem: OrderItem? { order.flatMap { $0.items.indices.contains(selected) ? $0.items[selected] : nil } }

    /// Sum of the chosen quantities at their unit prices.
    var subtotal: Money? {
        guard let order else { return nil }
        var total = Decimal(0)
        for item in order.items { total += (item.price?.amount ?? 0) * (quantities[item.id] ?? 0) }
        return Money(total, order.currency)
    }

    mutating func takeOrder(_ loaded: Order) {
        order = loaded
        quantities = Dictionary(uniqueKeysWithValues: loaded.items.map { ($0.id, $0.qtyToInvoice) })
        selected = loaded.items.firstIndex { $0.qtyToInvoice > 0 } ?? 0
        stage = .form
        focus = .items
        problem = loaded.items.contains { $0.qtyToInvoice > 0 } ? nil : "order \(loaded.incrementId) has nothing left to invoice"
    }

    /// Sets the selected item's quantity if the order allows it; else says why and keeps the old one.
    mutating func set(_ qty: Decimal) {
        guard let item = selectedItem else { return }
        if let why = CapturePlan.problem(qty, for: item) {
            problem = why
        } else {
            quantities[item.id] = qty
            problem = nil
        }
    }

    mutating func move(_ step: Int) {
        guard let order else { return }
        var index = selected
        repeat { index += step } while order.items.indices.contains(index) && !open(index)
        if order.items.indices.contains(index) { selected = index }
        typed = nil
    }
}

enum CreateAction: Sendable, Equatable {
    // Asking for the order.
    case lookUp, pickDown, pickUp
    case ordersPage(forward: Bool)
    // The form.
    case review, nextField, previousField
    case nextItem, previousItem, more, less, allOfItem, allItems, noItems, typeQuantity, eraseDigit
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
        [
            Binding([.down, .character("j")], .nextItem, "next item (items with nothing left are skipped)", hint: "item", hintKeys: "↑↓"),
            Binding([.up, .character("k")], .previousItem, "previous item"),
            Binding([.right, .character("+")], .more, "one more", hint: "step", hintKeys: "←→ -+"),
            Binding([.left, .character("-")], .less, "one less"),
            Binding(
                (0...9).map { .character(Character(String($0))) } + [.character(".")], .typeQuantity,
                "type the quantity (. only on items sold in fractions; more than remains is refused on the spot, with the reason); 0 is none of this item",
                hint: "type", hintKeys: "0-9"),
            Binding([.backspace], .eraseDigit, "erase the last digit typed"),
            Binding([.character("a")], .allOfItem, "all remaining of this item", hint: "all", hintKeys: "a/A"),
            Binding([.character("A")], .allItems, "all remaining of every item (the default: a full capture)"),
            Binding([.character("x")], .noItems, "none of every item", hint: "none", hintKeys: "0/x"),
        ] + formKeys)

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

    mutating func opened(_ desk: inout Desk) -> [Effect] {
        startsWithOrder ? lookUpOrder(&desk) : loadInvoiceableOrders(page: 1, &desk)
    }

    mutating func type(_ key: Key) -> Bool {
        switch stage {
        case .askOrder:
            guard orderNumber.handle(key) else { return false }
            pick = nil
            return true
        case .form where focus == .comment:
            return comment.handle(key)
        default:
            return false
        }
    }

    mutating func paste(_ text: String) -> Bool {
        switch stage {
        case .askOrder:
            pick = nil
            orderNumber.paste(text)
        case .form where focus == .comment:
            comment.paste(text)
        default:
            return false
        }
        return true
    }

    mutating func perform(_ action: CreateAction, _ desk: inout Desk) -> [Effect] {
        switch action {
        case .leave: desk.close()
        case .quit: return [.quit(status: 0)]
        case .lookUp:
            if let pick, let orders = orders?.items, orders.indices.contains(pick) {
                orderNumber = LineEditor(prompt: "order #: ", text: orders[pick].incrementId, maxLength: 32)
            }
            return lookUpOrder(&desk)
        case .pickDown:
            let rows = orders?.items.count ?? 0
            if rows > 0 { pick = min(rows - 1, (pick ?? -1) + 1) }
        case .pickUp:
            pick = pick.flatMap { $0 > 0 ? $0 - 1 : nil }
        case .ordersPage(let forward):
            guard let page = orders, forward ? page.hasNext && page.page < Int.max : page.page > 1 else {
                desk.message = StatusMessage(.info, forward ? "this is the last page of orders" : "this is the first page of orders")
                return []
            }
            return loadInvoiceableOrders(page: page.page + (forward ? 1 : -1), &desk)
        case .nextField, .previousField:
            let all = Focus.allCases
            let index = all.firstIndex(of: focus) ?? 0
            focus = all[(index + (action == .nextField ? 1 : all.count - 1)) % all.count]
            typed = nil
        case .review:
            do throws(FolioError) {
                guard let order else { return [] }
                let plan = try CapturePlan(
                    order: order, quantities: quantities, capture: capture, sendEmail: sendEmail,
                    comment: comment.text)
                stage = .review(plan)
                reviewScroll = 0
                problem = nil
            } catch {
                problem = error.message
            }
        case .nextMode, .previousMode:
            let modes: [CaptureMode] = [.offline, .online, .noCapture]
            let index = modes.firstIndex(of: capture) ?? 0
            capture = modes[(index + (action == .nextMode ? 1 : modes.count - 1)) % modes.count]
        case .toggleEmail:
            sendEmail.toggle()
        case .nextItem, .previousItem, .more, .less, .allOfItem, .allItems, .noItems, .typeQuantity, .eraseDigit:
            pick(action, key: desk.key)
        case .send:
            guard case .review(let plan) = stage else { return [] }
            let request = desk.request()
            stage = .sending(request: request, plan)
            let anyway = pendingConfirm != nil
            pendingConfirm = nil
            return [.createInvoice(request: request, plan: plan, evenIfPending: anyway)]
        case .edit:
            stage = .form
            pendingConfirm = nil
        case .scrollDown:
            guard case .review(let plan) = stage else { return [] }
            // The box is the summary plus its frame and hint, as tall as the body allows.
            let visible = min(plan.summary.count + 4, desk.body.height) - 3
            reviewScroll = min(reviewScroll + 1, max(0, plan.summary.count - visible))
        case .scrollUp:
            reviewScroll = max(0, reviewScroll - 1)
        }
        return []
    }

    /// The quantity picker.
    private mutating func pick(_ action: CreateAction, key: Key?) {
        guard let item = selectedItem else { return }
        let current = quantities[item.id] ?? 0
        switch action {
        case .nextItem: move(1)
        case .previousItem: move(-1)
        case .more:
            typed = nil
            set(current + 1 > item.qtyToInvoice && item.isQtyDecimal ? item.qtyToInvoice : current + 1)
        case .less:
            typed = nil
            set(max(0, current - 1))
        case .allOfItem:
            typed = nil
            set(item.qtyToInvoice)
        case .noItems, .allItems:
            typed = nil
            for i in order?.items ?? [] { quantities[i.id] = action == .allItems ? i.qtyToInvoice : 0 }
            problem = nil
        case .eraseDigit:
            guard var digits = typed, !digits.isEmpty else { return }
            digits.removeLast()
            typed = digits
            set(Decimal(string: digits.isEmpty ? "0" : digits, locale: Locale(identifier: "en_US_POSIX")) ?? 0)
        case .typeQuantity:
            guard case .character(let c)? = key else { return }
            if c == ".", !item.isQtyDecimal {
                problem = "\(item.sku): whole units only"
                return
            }
            let digits = (typed ?? "") + String(c)
            guard let qty = Decimal(string: digits == "." ? "0." : digits, locale: Locale(identifier: "en_US_POSIX")) else { return }
            if let why = CapturePlan.problem(qty, for: item) {
                // Refused on the spot: the typed digits stay as they were.
                problem = why
            } else {
                typed = digits
                set(qty)
            }
        default: break
        }
    }

    private mutating func lookUpOrder(_ desk: inout Desk) -> [Effect] {
        let number = orderNumber.text.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else {
            problem = "type an order number"
            return []
        }
        let request = desk.request()
        stage = .loadingOrder(request: request)
        problem = nil
        return [.loadOrderForCreate(request: request, number: number)]
    }

    private mutating func loadInvoiceableOrders(page: Int, _ desk: inout Desk) -> [Effect] {
        let request = desk.request()
        ordersLoading = request
        return [.loadInvoiceableOrders(request: request, page: page)]
    }

    private mutating func loadRecentInvoices(_ number: String, _ desk: inout Desk) -> [Effect] {
        let request = desk.request()
        invoicesLoading = request
        return [.loadOrderInvoices(request: request, number: number)]
    }

    mutating func receive(_ event: Event, _ desk: inout Desk) -> [Effect] {
        switch event {
        case .invoiceableOrdersLoaded(let request, let result) where ordersLoading == request:
            ordersLoading = nil
            switch result {
            case .success(let page):
                orders = page
                // An empty page (the store's last, or a hostile one) leaves nothing to pick.
                pick = page.items.isEmpty ? nil : pick.map { min($0, page.items.count - 1) }
            case .failure(let error):
                problem = "the list of orders to invoice did not load: " + error.message
            }
        case .createOrderLoaded(let request, let result) where stage == .loadingOrder(request: request):
            switch result {
            case .success(let order): takeOrder(order)
            case .failure(let error):
                stage = .askOrder
                problem = error.message
            }
        case .orderInvoicesLoaded(let request, let result) where invoicesLoading == request:
            invoicesLoading = nil
            switch result {
            case .success(let invoices): recentInvoices = invoices
            case .failure(let error): problem = "the order's invoices did not load: " + error.message
            }
        case .invoiceCreated(let request, let result):
            guard case .sending(request, let plan) = stage else { return [] }
            return created(plan, result, &desk)
        default:
            break
        }
        return []
    }

    private mutating func created(_ plan: CapturePlan, _ result: Result<CreatedInvoice, FolioError>, _ desk: inout Desk) -> [Effect] {
        switch result {
        case .success(let created):
            let how = created.reconciled ? ", confirmed on the store by its reference" : ""
            let text = "done · invoice \(created.invoice.incrementId)\(how) · order \(plan.orderNumber) · ref \(created.reference)"
            desk.message =
                created.emailNotSent
                ? StatusMessage(.warning, text + " — the email was not sent; press e to resend")
                : StatusMessage(.success, text)
            desk.close()
            desk.reloadList()
            desk.push(Pager(invoice: created.invoice.id, number: created.invoice.incrementId))
            return []
        case .failure(let error) where error.isEarlierWrite:
            // Stay on the review: the clerk checks the order's invoices, then decides.
            stage = .review(plan)
            switch error {
            case .earlierWriteDone(let what, let outcome, let reference):
                pendingConfirm = reference
                problem = "the earlier create on \(what) was done after all: \(outcome) — y creates another anyway, Esc goes back"
            case .pendingWrite(let what, let reference):
                pendingConfirm = reference
                problem =
                    "\(what) has a write of unknown outcome (ref \(reference)) — check its invoices below; y sends anyway, Esc goes back"
            default: break
            }
            desk.checkWrites()
            return loadRecentInvoices(plan.orderNumber, &desk)
        case .failure(.outcomeUnknown(let what, let reference, let reason)):
            // Never re-arm the plan: reload the order as the store has it now.
            unknown = (reference, reason)
            problem = nil
            desk.message = StatusMessage(
                .warning, "outcome unknown: \(what) may have been created (ref \(reference)) — Folio keeps looking; W shows it")
            desk.checkWrites(restart: true)
            return lookUpOrder(&desk) + loadRecentInvoices(plan.orderNumber, &desk)
        case .failure(let error):
            // Refused: nothing was done; the form stays as it was.
            stage = .form
            problem = error.message
            return []
        }
    }

    mutating func notice(_ notice: Notice, _ desk: inout Desk) -> [Effect] {
        if case .writeFound(let reference) = notice, unknown?.reference == reference { unknown = nil }
        return []
    }

    func render(into canvas: inout Canvas, _ desk: Desk) { CreateView(desk: desk).renderCreate(self, into: &canvas) }
}
