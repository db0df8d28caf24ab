import FolioCore
import FolioTerminal
import Foundation

/// The create screen's update: what each action does, and the answers to
/// its requests (the order, the orders to pick from, the order's invoices,
/// the create itself: done, refused or unknown).
extension CreateState {
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
            picker.endTyping()
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
        case .pick(let move):
            switch picker.apply(move, key: desk.key) {
            case .unchanged: break
            case .taken: problem = nil
            case .refused(let why): problem = why
            }
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
            reviewScroll = ReviewBox.scrolled(reviewScroll, by: 1, lines: plan.summary.count, body: desk.body)
        case .scrollUp:
            reviewScroll = max(0, reviewScroll - 1)
        }
        return []
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
