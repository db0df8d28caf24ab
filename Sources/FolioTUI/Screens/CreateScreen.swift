import Foundation
import FolioCore
import FolioTerminal

/// `c`: invoice an order. The picker makes the right thing easy (all that
/// remains is the default, as store admins do) and the wrong thing
/// impossible: a quantity above what remains is refused on the spot, nothing
/// is sent without a review, and the send key does nothing while a request
/// is out. State, keys and update live here; drawing is in CreateRender.
public struct CreateState: Sendable {
    public enum Stage: Sendable, Equatable {
        /// Typing the order number.
        case askOrder
        case loadingOrder(request: Int)
        case form
        /// The review names exactly what will be sent.
        case review(CapturePlan)
        case sending(request: Int, CapturePlan)
    }
    public enum Focus: Sendable, Equatable, CaseIterable { case items, capture, email, comment }

    public var stage: Stage = .askOrder
    public var orderNumber = LineEditor(prompt: "order #: ", maxLength: 32)
    public var order: Order?
    /// The quantity to invoice, by order item id.
    public var quantities: [Int64: Decimal] = [:]
    public var selected = 0
    /// Digits typed for the selected item, while typing.
    public var typed: String?
    public var focus: Focus = .items
    public var capture: CaptureMode = .offline
    public var sendEmail = false
    public var comment: LineEditor
    /// Why the last key or the last send did not go through.
    public var problem: String?
    /// Orders that can still be invoiced, a server page at a time, to pick
    /// from instead of typing a number; `pick` is the row chosen (nil: typing).
    public var orders: Page<Order>?
    public var ordersLoading: Int?
    public var pick: Int?
    /// The last send's outcome is unknown: the invoice may exist. The old
    /// plan is gone; the order is reloaded and its newest invoices shown.
    public var unknown: (reference: String, reason: String)?
    /// The order's invoices, newest first, after an unknown or a pending refusal.
    public var recentInvoices: [InvoiceSummary]?
    public var invoicesLoading: Int?
    /// The review was refused because this reference is still unknown on the
    /// order: y again sends anyway.
    public var pendingConfirm: String?
    /// The first line of the review shown (a short terminal scrolls it).
    public var reviewScroll = 0

    /// The comment goes to the customer with the invoice email, so the default names no clerk and no machine.
    init() {
        comment = LineEditor(prompt: "comment: ", text: "Invoiced via Folio", maxLength: OperationReference.commentRoom)
    }

    /// Whether letters typed now are text (so global letter keys stay off).
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

extension CreateState {
    /// The keys that matter most, for the status bar.
    static let hints = " ↑↓ item  ←→ -+ step  0-9 type  a/A all  0/x none  Tab options  Enter review  Esc cancel  ? help"

    /// Keys for help; the picker's own keys are handled in `updateCreate`.
    public static let help: [HelpLine] = [
        HelpLine(keys: "↑ ↓", text: "choose an item (items with nothing left are skipped)"),
        HelpLine(keys: "← → - +", text: "one less / one more"),
        HelpLine(keys: "0-9 .", text: "type the quantity (Backspace edits; . for items sold in fractions)"),
        HelpLine(keys: "a / A", text: "all remaining of this item / of every item"),
        HelpLine(keys: "0 / x", text: "none of this item / of every item"),
        HelpLine(keys: "Tab", text: "items → capture mode → email → comment"),
        HelpLine(keys: "← →", text: "(capture mode) offline → online → no capture"),
        HelpLine(keys: "space", text: "(email) send the invoice email on create, or not"),
        HelpLine(keys: "Enter", text: "review (↓ ↑ scroll it on a short terminal), then y or Enter sends"),
        HelpLine(keys: "Esc", text: "back (from the review: to the form, everything kept)"),
    ]
}

extension AppState {
    /// `c` on the list (ask for the order) or on a detail (its order).
    mutating func startCreate(orderNumber: String? = nil) -> [Effect] {
        var screen = CreateState()
        guard let orderNumber else {
            create = screen
            return loadInvoiceableOrders(page: 1)
        }
        screen.orderNumber = LineEditor(prompt: "order #: ", text: orderNumber, maxLength: 32)
        create = screen
        return loadCreateOrder()
    }

    private mutating func loadCreateOrder() -> [Effect] {
        guard var screen = create else { return [] }
        let number = screen.orderNumber.text.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else { screen.problem = "type an order number"; create = screen; return [] }
        let request = nextRequest()
        screen.stage = .loadingOrder(request: request)
        screen.problem = nil
        create = screen
        return [.loadOrderForCreate(request: request, number: number)]
    }

    private mutating func loadInvoiceableOrders(page: Int) -> [Effect] {
        guard var screen = create else { return [] }
        let request = nextRequest()
        screen.ordersLoading = request
        create = screen
        return [.loadInvoiceableOrders(request: request, page: page)]
    }

    mutating func invoiceableOrdersLoaded(_ request: Int, _ result: Result<Page<Order>, FolioError>) -> [Effect] {
        guard var screen = create, screen.ordersLoading == request else { return [] }
        screen.ordersLoading = nil
        switch result {
        case .success(let page):
            screen.orders = page
            // An empty page (the store's last, or a hostile one) leaves nothing to pick.
            screen.pick = page.items.isEmpty ? nil : screen.pick.map { min($0, page.items.count - 1) }
        case .failure(let error):
            screen.problem = "the list of orders to invoice did not load: " + error.message
        }
        create = screen
        return []
    }

    mutating func createOrderLoaded(_ request: Int, _ result: Result<Order, FolioError>) -> [Effect] {
        guard var screen = create, screen.stage == .loadingOrder(request: request) else { return [] }
        switch result {
        case .success(let order): screen.takeOrder(order)
        case .failure(let error):
            screen.stage = .askOrder
            screen.problem = error.message
        }
        create = screen
        return []
    }

    mutating func updateCreate(_ key: Key) -> [Effect] {
        guard var screen = create else { return [] }
        defer { if create != nil { create = screen } }
        switch screen.stage {
        case .loadingOrder, .sending:
            // Nothing to do but wait (Esc leaves while an order loads). q
            // quits even now: the write's journal entry waits for the next start.
            if case .loadingOrder = screen.stage, key == .escape { create = nil }
            if case .sending = screen.stage, key == .character("q") { return [.quit(status: 0)] }
            return []
        case .askOrder:
            let rows = screen.orders?.items.count ?? 0
            switch key {
            case .escape: create = nil
            case .down: if rows > 0 { screen.pick = min(rows - 1, (screen.pick ?? -1) + 1) }
            case .up: screen.pick = screen.pick.flatMap { $0 > 0 ? $0 - 1 : nil }
            case .pageDown, .pageUp:
                guard let page = screen.orders, screen.ordersLoading == nil else { return [] }
                let forward = key == .pageDown
                guard forward ? page.hasNext && page.page < Int.max : page.page > 1 else { return [] }
                let target = page.page + (forward ? 1 : -1)
                create = screen
                let effects = loadInvoiceableOrders(page: target)
                screen = create!
                return effects
            case .enter:
                if let pick = screen.pick, let orders = screen.orders?.items, orders.indices.contains(pick) {
                    screen.orderNumber = LineEditor(prompt: "order #: ", text: orders[pick].incrementId, maxLength: 32)
                }
                create = screen
                let effects = loadCreateOrder()
                screen = create!
                return effects
            default:
                screen.pick = nil
                _ = screen.orderNumber.handle(key)
            }
            return []
        case .review(let plan):
            switch key {
            case .character("y"), .enter:
                let request = nextRequest()
                screen.stage = .sending(request: request, plan)
                let anyway = screen.pendingConfirm != nil
                screen.pendingConfirm = nil
                return [.createInvoice(request: request, plan: plan, evenIfPending: anyway)]
            case .escape, .character("n"):
                screen.stage = .form
                screen.pendingConfirm = nil
            case .down, .character("j"):
                // The box is the summary plus its frame and hint, as tall as the body allows.
                let visible = min(plan.summary.count + 4, bodyArea.height) - 3
                screen.reviewScroll = min(screen.reviewScroll + 1, max(0, plan.summary.count - visible))
            case .up, .character("k"): screen.reviewScroll = max(0, screen.reviewScroll - 1)
            default: break
            }
            return []
        case .form:
            break
        }
        if key == .escape {
            create = nil
            return []
        }
        if key == .character("?") {
            overlay = .help(HelpState(title: "Create an invoice — keys", lines: CreateState.help + HelpState.everywhere))
            return []
        }
        if key == .tab || key == .backTab {
            let all = CreateState.Focus.allCases
            let index = all.firstIndex(of: screen.focus)!
            screen.focus = all[(index + (key == .tab ? 1 : all.count - 1)) % all.count]
            screen.typed = nil
            return []
        }
        if key == .enter {
            do throws(FolioError) {
                guard let order = screen.order else { return [] }
                let plan = try CapturePlan(order: order, quantities: screen.quantities, capture: screen.capture,
                                           sendEmail: screen.sendEmail, comment: screen.comment.text)
                screen.stage = .review(plan)
                screen.reviewScroll = 0
                screen.problem = nil
            } catch {
                screen.problem = error.message
            }
            return []
        }
        switch screen.focus {
        case .items: pick(key, &screen)
        case .capture:
            let modes: [CaptureMode] = [.offline, .online, .noCapture]
            let index = modes.firstIndex(of: screen.capture) ?? 0
            if key == .right || key == .character(" ") { screen.capture = modes[(index + 1) % modes.count] }
            if key == .left { screen.capture = modes[(index + modes.count - 1) % modes.count] }
        case .email:
            if key == .character(" ") || key == .left || key == .right { screen.sendEmail.toggle() }
        case .comment:
            _ = screen.comment.handle(key)
        }
        return []
    }

    /// The quantity picker's keys.
    private func pick(_ key: Key, _ screen: inout CreateState) {
        guard let item = screen.selectedItem else { return }
        let current = screen.quantities[item.id] ?? 0
        switch key {
        case .down, .character("j"): screen.move(1)
        case .up, .character("k"): screen.move(-1)
        case .right, .character("+"): screen.typed = nil; screen.set(current + 1 > item.qtyToInvoice && item.isQtyDecimal ? item.qtyToInvoice : current + 1)
        case .left, .character("-"): screen.typed = nil; screen.set(max(0, current - 1))
        case .character("a"): screen.typed = nil; screen.set(item.qtyToInvoice)
        case .character("x"):
            screen.typed = nil
            for i in screen.order?.items ?? [] { screen.quantities[i.id] = 0 }
            screen.problem = nil
        case .character("A"):
            screen.typed = nil
            for i in screen.order?.items ?? [] { screen.quantities[i.id] = i.qtyToInvoice }
            screen.problem = nil
        case .backspace:
            guard var typed = screen.typed, !typed.isEmpty else { return }
            typed.removeLast()
            screen.typed = typed
            screen.set(Decimal(string: typed.isEmpty ? "0" : typed, locale: Locale(identifier: "en_US_POSIX")) ?? 0)
        case .character(let c) where c.isASCII && (c.isNumber || c == "."):
            if c == ".", !item.isQtyDecimal {
                screen.problem = "\(item.sku): whole units only"
                return
            }
            let typed = (screen.typed ?? "") + String(c)
            guard let qty = Decimal(string: typed == "." ? "0." : typed, locale: Locale(identifier: "en_US_POSIX")) else { return }
            if let why = CapturePlan.problem(qty, for: item) {
                // Refused on the spot: the typed digits stay as they were.
                screen.problem = why
            } else {
                screen.typed = typed
                screen.set(qty)
            }
        default: break
        }
    }

    mutating func invoiceCreated(_ request: Int, _ result: Result<CreatedInvoice, FolioError>) -> [Effect] {
        guard var screen = create, case .sending(request, let plan) = screen.stage else { return [] }
        switch result {
        case .success(let created):
            create = nil
            let how = created.reconciled ? ", confirmed on the store by its reference" : ""
            let text = "done · invoice \(created.invoice.incrementId)\(how) · order \(plan.orderNumber) · ref \(created.reference)"
            message = created.emailNotSent
                ? StatusMessage(.warning, text + " — the email was not sent; press e to resend")
                : StatusMessage(.success, text)
            detail = DetailState(id: created.invoice.id, number: created.invoice.incrementId)
            return loadList(list.query, landing: .keep, fresh: true) + loadDetail()
        case .failure(let error) where error.isEarlierWrite:
            // Stay on the review: the clerk checks the order's invoices, then decides.
            screen.stage = .review(plan)
            switch error {
            case .earlierWriteDone(let what, let outcome, let reference):
                screen.pendingConfirm = reference
                screen.problem = "the earlier create on \(what) was done after all: \(outcome) — y creates another anyway, Esc goes back"
            case .pendingWrite(let what, let reference):
                screen.pendingConfirm = reference
                screen.problem = "\(what) has a write of unknown outcome (ref \(reference)) — check its invoices below; y sends anyway, Esc goes back"
            default: break
            }
            create = screen
            return loadRecentInvoices(plan.orderNumber) + (writes.checking == nil ? checkWrites() : [])
        case .failure(.outcomeUnknown(let what, let reference, let reason)):
            // Never re-arm the plan: reload the order as the store has it now.
            screen.unknown = (reference, reason)
            screen.problem = nil
            message = StatusMessage(.warning, "outcome unknown: \(what) may have been created (ref \(reference)) — Folio keeps looking; W shows it")
            create = screen
            return loadCreateOrder() + loadRecentInvoices(plan.orderNumber) + checkWrites()
        case .failure(let error):
            // Refused: nothing was done; the form stays as it was.
            screen.stage = .form
            screen.problem = error.message
            create = screen
            return []
        }
    }

    private mutating func loadRecentInvoices(_ number: String) -> [Effect] {
        guard var screen = create else { return [] }
        let request = nextRequest()
        screen.invoicesLoading = request
        create = screen
        return [.loadOrderInvoices(request: request, number: number)]
    }

    mutating func orderInvoicesLoaded(_ request: Int, _ result: Result<[InvoiceSummary], FolioError>) -> [Effect] {
        guard var screen = create, screen.invoicesLoading == request else { return [] }
        screen.invoicesLoading = nil
        switch result {
        case .success(let invoices): screen.recentInvoices = invoices
        case .failure(let error): screen.problem = "the order's invoices did not load: " + error.message
        }
        create = screen
        return []
    }
}
