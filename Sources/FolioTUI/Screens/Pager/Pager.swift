import FolioCore
import FolioTerminal

/// A document from the store to read and scroll: an invoice (`Enter` on the
/// list), everything a clerk reads while the customer waits, or its order
/// (`o`), read-only. One pager, two loaders (tig's blob view falling through
/// to its pager; bubbles' viewport). The layouts are `Document(invoice:)`
/// and `Document(order:)`.
struct Pager: Sendable {
    enum Source: Sendable, Equatable {
        case invoice(id: Int64)
        case order(id: Int64)

        var isInvoice: Bool { if case .invoice = self { true } else { false } }
        var id: Int64 {
            switch self {
            case .invoice(let id), .order(let id): id
            }
        }
        var noun: String { isInvoice ? "invoice" : "order" }
    }

    enum Content: Sendable {
        case invoice(InvoiceDetail)
        case order(Order)
    }

    var source: Source
    /// The number shown while it loads (the store's own once loaded).
    var number: String
    var content: Content?
    var loading: Int?
    /// Under an invoice: its order's history, asked for once the invoice is in.
    var history: HistorySection?
    var historyLoading: Int?
    var scroll = 0
    /// The laid-out content and the width it was laid out for.
    var document: Document?

    init(invoice id: Int64, number: String) {
        source = .invoice(id: id)
        self.number = number
    }

    init(order id: Int64, number: String) {
        source = .order(id: id)
        self.number = number
    }

    var id: Int64 { source.id }
    var detail: InvoiceDetail? { if case .invoice(let d)? = content { d } else { nil } }
    var order: Order? { if case .order(let o)? = content { o } else { nil } }
}

enum PagerAction: Sendable, Equatable {
    case scroll(ScrollMove)
    case next, previous, copy, email, note, order, create, refund, reload, back
}

extension Pager: Room {
    static let invoiceKeys = Keymap<PagerAction>(
        ScrollMove.keymap.map(PagerAction.scroll) + [
            Binding(
                [.character("n")], .next, "next invoice of the list, without going back (past the end of a page the list turns it)",
                hint: "next"),
            Binding([.character("p")], .previous, "previous invoice of the list", hint: "prev"),
            Binding(
                [.character("e")], .email, "resend the email: Enter sends once; a failure keeps the dialog and your comment", hint: "email"),
            Binding(
                [.character("N")], .note,
                "add an internal note to the order's history (not shown to the customer, nobody emailed); sent once, with an operation reference",
                hint: "note"),
            Binding(
                [.character("y")], .copy,
                "copy the invoice number to the clipboard (OSC 52; inside tmux wrapped for passthrough, so it works over ssh)"),
            Binding([.character("o")], .order, "the order, read-only: each item's ordered, invoiced, canceled and remaining quantity"),
            Binding([.character("c")], .create, "invoice more of this order"),
            Binding(
                [.character("R")], .refund,
                "refund from this invoice (a credit memo): items, shipping, adjustments; reviewed to the cent, sent once", hint: "refund"),
            Binding([.character("r")], .reload, "reload (and retry after an error)"),
            Binding([.escape, .character("q")], .back, "back to the list, same row and filters", hint: "back"),
        ])

    static let orderKeys = Keymap<PagerAction>(
        ScrollMove.keymap.map(PagerAction.scroll) + [
            Binding([.character("r")], .reload, "reload"),
            Binding([.escape, .character("q"), .character("o")], .back, "back to the invoice", hint: "back"),
        ])

    var keymap: Keymap<PagerAction> { source.isInvoice ? Pager.invoiceKeys : Pager.orderKeys }
    var title: String { source.isInvoice ? "Invoice — keys" : "Order — keys" }
    var waiting: String? { loading != nil || historyLoading != nil ? "loading" : nil }

    func unavailable(_ action: PagerAction, _ desk: Desk) -> String? {
        switch action {
        case .email, .create, .order, .note, .refund:
            guard let invoice = detail else {
                return loading != nil ? "the invoice is still loading" : "the invoice did not load — r to retry"
            }
            if action == .refund, invoice.state == .canceled { return "invoice \(invoice.incrementId) is canceled: nothing to refund" }
            if action == .order, invoice.orderId == nil { return "this invoice names no order" }
            if action == .create || action == .note, invoice.orderIncrementId == nil { return "this invoice names no order" }
            return nil
        default:
            return nil
        }
    }

    mutating func opened(_ desk: inout Desk) -> [Effect] { load(&desk) }

    private mutating func load(_ desk: inout Desk) -> [Effect] {
        let request = desk.request()
        loading = request
        switch source {
        case .invoice(let id): return [.loadDetail(request: request, id: id)]
        case .order(let id): return [.loadOrder(request: request, id: id)]
        }
    }

    mutating func perform(_ action: PagerAction, _ desk: inout Desk) -> [Effect] {
        switch action {
        case .scroll(let move):
            scroll = move.scrolled(scroll, lines: document?.lines.count ?? 0, visible: desk.body.height)
        case .next, .previous:
            desk.step(forward: action == .next)
        case .copy:
            desk.message = StatusMessage(.success, "copied \(number) to the clipboard")
            return [.copy(text: number)]
        case .email:
            if let loaded = detail {
                desk.push(
                    EmailDialog(
                        invoiceId: id, number: loaded.incrementId, orderNumber: loaded.orderIncrementId,
                        recipient: loaded.customerEmail, emailSent: loaded.emailSent))
            }
        case .note:
            if let loaded = detail, let order = loaded.orderIncrementId {
                desk.push(NoteDialog(orderNumber: order, invoiceId: id, invoiceNumber: loaded.incrementId))
            }
        case .order:
            if let invoice = detail, let id = invoice.orderId {
                desk.push(Pager(order: id, number: invoice.orderIncrementId ?? String(id)))
            }
        case .create:
            if let number = detail?.orderIncrementId { desk.push(CreateState(orderNumber: number)) }
        case .refund:
            if let number = detail?.incrementId { desk.push(RefundState(invoiceNumber: number)) }
        case .reload:
            desk.message = nil
            return load(&desk)
        case .back:
            desk.close()
        }
        return []
    }

    mutating func receive(_ event: Event, _ desk: inout Desk) -> [Effect] {
        if case .historyLoaded(let request, let answer) = event, request == historyLoading {
            historyLoading = nil
            switch answer {
            case .success(let entries): history = .loaded(entries)
            case .failure(let error): history = .failed(error.message)
            }
            layOut(desk)
            scroll = max(0, min(scroll, (document?.lines.count ?? 0) - desk.body.height))
            return []
        }
        let result: Result<Content, FolioError>
        switch event {
        case .detailLoaded(let request, let answer) where request == loading: result = answer.map(Content.invoice)
        case .orderLoaded(let request, let answer) where request == loading: result = answer.map(Content.order)
        default: return []
        }
        loading = nil
        switch result {
        case .success(let loaded):
            if desk.message?.kind == .error { desk.message = nil }
            if case .invoice(let invoice) = loaded, detail?.id != invoice.id { scroll = 0 }
            content = loaded
            switch loaded {
            case .invoice(let invoice):
                number = invoice.incrementId
                // The order's history under it (a reload asks again: an email may have gone out).
                if let orderId = invoice.orderId {
                    let request = desk.request()
                    historyLoading = request
                    if case .loaded? = history {} else { history = .loading }
                    layOut(desk)
                    return [.loadHistory(request: request, orderId: orderId)]
                }
            case .order(let order): number = order.incrementId
            }
            layOut(desk)
        case .failure(let error):
            desk.message = StatusMessage(.error, error.message + " — r to retry, Esc for the " + (source.isInvoice ? "list" : "invoice"))
        }
        return []
    }

    mutating func notice(_ notice: Notice, _ desk: inout Desk) -> [Effect] {
        switch notice {
        case .selectionMoved:
            // `n`/`p`: the list's selection is the invoice to show now.
            guard source.isInvoice, let invoice = desk.selection.invoice else { return [] }
            self = Pager(invoice: invoice.id, number: invoice.incrementId)
            return load(&desk)
        case .invoiceChanged(let id) where source == .invoice(id: id):
            return load(&desk)
        default:
            return []
        }
    }

    /// A new width lays the content out again (addresses go side by side at 100).
    mutating func resized(_ desk: Desk) {
        layOut(desk)
        scroll = max(0, min(scroll, (document?.lines.count ?? 0) - desk.body.height))
    }

    /// Laid out one column narrower than the screen: the last column is the
    /// scroll markers' (↑ ↓), which never cover a digit of an amount.
    private mutating func layOut(_ desk: Desk) {
        let width = desk.width - 1
        switch content {
        case .invoice(let invoice)?:
            document = Document(invoice: invoice, width: width, glyphs: desk.look.glyphs, history: history)
        case .order(let order)?: document = Document(order: order, width: width, glyphs: desk.look.glyphs)
        case nil: break
        }
    }

    func render(into canvas: inout Canvas, _ desk: Desk) {
        // Where it sits in the list (not shown for an invoice opened from elsewhere, e.g. just created).
        let s = desk.selection
        let position = source.isInvoice && s.invoice?.id == id ? " \(s.index + 1)/\(s.count) on page \(s.page) " : ""
        let noun = source.noun
        let waiting = loading != nil ? "loading \(noun) \(number)…" : "\(noun) \(number) could not be loaded — r to retry"
        let body = ScreenHeader.draw(
            title: "\(noun) \(number)",
            positions: [position, position.split(separator: " ").first.map { " \($0) " } ?? "", ""],
            into: &canvas, desk)
        canvas.fill(body, style: desk.look[.text])
        guard let document else {
            canvas.clipped(
                waiting, x: 2, y: body.y + min(1, body.height - 1), width: desk.width - 4, style: desk.look[.muted], look: desk.look)
            return
        }
        document.draw(into: &canvas, area: body, first: scroll, look: desk.look)
        let g = desk.look.glyphs
        if scroll + body.height < document.lines.count {
            canvas.text(g.down, x: desk.width - 2, y: body.maxY - 1, style: desk.look[.accent])
        }
        if scroll > 0 { canvas.text(g.up, x: desk.width - 2, y: body.y, style: desk.look[.accent]) }
    }
}
