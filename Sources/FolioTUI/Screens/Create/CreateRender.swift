import FolioCore
import FolioTerminal

/// Draws the create screen at the desk's size.
struct CreateView {
    let desk: Desk
    var width: Int { desk.width }
    var height: Int { desk.height }
    var look: Look { desk.look }
    var bodyArea: Rect { desk.body }

    func renderCreate(_ screen: CreateState, into canvas: inout Canvas) {
        let body = ScreenHeader.draw(title: "create an invoice", into: &canvas, desk)
        canvas.fill(body, style: look[.text])
        // Where the body ends: the status bar, and above it the problem line when there is one.
        let problemLine = (screen.problem != nil || screen.unknown != nil) && height >= 3
        let limit = height - 1 - (problemLine ? 1 : 0)
        switch screen.stage {
        case .askOrder, .loadingOrder:
            drawOrderPrompt(screen, limit: limit, into: &canvas)
            return
        default:
            break
        }
        guard let order = screen.order else { return }
        let optionRows = screen.capture == .online ? 4 : 3
        let rows = limit - body.y
        // Roomy: blank lines between the parts. Compact: none. Cramped (a
        // terminal of 8 or 9 rows): the part with the focus whole, and one
        // line for the other.
        let roomy = height >= 11 + optionRows
        let full = rows >= 5 + optionRows
        let itemsFocused = screen.stage != .form || screen.focus == .items
        var y = body.y + (roomy ? 1 : 0)
        if full || !itemsFocused {
            drawOrderLine(order, y: y, into: &canvas)
            y += roomy ? 2 : 1
        }
        if full || itemsFocused {
            let room = roomy ? height - y - 6 - optionRows : full ? limit - y - 2 - optionRows : limit - y - 3
            y = drawPicker(screen, order: order, top: y, room: max(1, room), roomy: roomy, into: &canvas)
        }
        if full || !itemsFocused {
            if roomy { y += 1 }
            y = drawOptions(screen, top: y, into: &canvas)
        } else {
            canvas.clipped(
                "capture \(screen.capture.rawValue) · email \(screen.sendEmail ? "yes" : "no") · Tab for the options",
                x: 1, y: y, width: width - 2, style: look[.muted], look: look)
        }
        drawRecentInvoices(screen, top: y + 1, limit: limit, into: &canvas)
        if let problem = screen.problem, problemLine {
            canvas.fill(Rect(x: 0, y: height - 2, width: width, height: 1), style: look[.error])
            canvas.clipped(" " + problem, x: 0, y: height - 2, width: width, style: look[.error], look: look)
        } else if let unknown = screen.unknown, problemLine {
            let text =
                " outcome unknown · ref \(unknown.reference) · \(unknown.reason) — the invoice may exist; the order above is as the store has it now"
            canvas.fill(Rect(x: 0, y: height - 2, width: width, height: 1), style: look[.warning])
            canvas.clipped(text, x: 0, y: height - 2, width: width, style: look[.warning], look: look)
        }
        switch screen.stage {
        case .review(let plan):
            renderReview(plan, sending: false, anyway: screen.pendingConfirm, scroll: screen.reviewScroll, into: &canvas)
        case .sending(_, let plan): renderReview(plan, sending: true, anyway: nil, scroll: screen.reviewScroll, into: &canvas)
        default: break
        }
    }

    /// The order number field, what to do, and the orders to pick from.
    private func drawOrderPrompt(_ screen: CreateState, limit: Int, into canvas: inout Canvas) {
        let roomy = limit >= 12
        var y = roomy ? 2 : 1
        let cursor = screen.orderNumber.draw(
            into: &canvas, x: 1, y: y, width: min(50, width - 2), style: look[.text],
            promptStyle: look[.accent])
        if case .askOrder = screen.stage { canvas.cursor = cursor }
        y += roomy ? 2 : 1
        let note =
            screen.stage == .askOrder
            ? "type an order number, or ↓ to pick one below · Enter looks it up · Esc cancels"
            : "looking up the order…"
        if roomy || screen.problem == nil {
            canvas.clipped(note, x: 1, y: y, width: width - 2, style: look[.muted], look: look)
            y += 1
        }
        if let problem = screen.problem {
            canvas.clipped(problem, x: 1, y: y, width: width - 2, style: look[.error], look: look)
            y += 1
        }
        drawInvoiceableOrders(screen, top: y + (roomy ? 1 : 0), limit: height - 1, into: &canvas)
    }

    private func drawOrderLine(_ order: Order, y: Int, into canvas: inout Canvas) {
        let sep = " \(look.glyphs.separator) "
        let x = canvas.text("Order \(order.incrementId)", x: 1, y: y, style: look[.title], limit: width - 2) + 1
        let facts =
            "  "
            + [
                order.status ?? order.state, order.customerName, order.paymentMethod.map { "payment \($0)" },
                order.baseCurrency == order.currency ? order.currency : "\(order.currency) (base \(order.baseCurrency))",
            ]
            .compactMap { $0 }.joined(separator: sep)
        canvas.clipped(facts, x: x, y: y, width: width - x - 1, style: look[.text], look: look)
    }

    /// Capture mode, email and comment, a row each; returns the next free row.
    private func drawOptions(_ screen: CreateState, top: Int, into canvas: inout Canvas) -> Int {
        var y = top
        let modes: [(CaptureMode, String)] = [(.offline, "offline"), (.online, "online"), (.noCapture, "no capture")]
        let focused = { (f: CreateState.Focus) in screen.stage == .form && screen.focus == f }
        var x = 1 + canvas.text("Capture   ", x: 1, y: y, style: focused(.capture) ? look[.accent] : look[.muted])
        for (mode, label) in modes {
            let chosen = mode == screen.capture
            let style = chosen ? (focused(.capture) ? look[.selection] : look[.accent]) : look[.text]
            x += canvas.text(chosen ? "[\(label)]" : " \(label) ", x: x, y: y, style: style) + 1
        }
        if screen.capture == .online {
            y += 1
            canvas.clipped(
                "the payment method must support online capture; the gateway decides", x: 11, y: y,
                width: width - 12, style: look[.warning], look: look)
        }
        y += 1
        x = 1 + canvas.text("Email     ", x: 1, y: y, style: focused(.email) ? look[.accent] : look[.muted])
        canvas.clipped(
            screen.sendEmail ? "[x] email the invoice to the customer" : "[ ] email the invoice to the customer",
            x: x, y: y, width: width - x - 1, style: focused(.email) ? look[.selection] : look[.text], look: look)
        y += 1
        let cursor = screen.comment.draw(
            into: &canvas, x: 1, y: y, width: width - 2, style: look[.text],
            promptStyle: focused(.comment) ? look[.accent] : look[.muted])
        if focused(.comment) { canvas.cursor = cursor }
        return y + 1
    }

    /// The orders that can still be invoiced, to pick from.
    private func drawInvoiceableOrders(_ screen: CreateState, top: Int, limit: Int, into canvas: inout Canvas) {
        guard let page = screen.orders, top < limit - 1 else {
            if screen.ordersLoading != nil, top < limit {
                canvas.clipped("loading the orders that can be invoiced…", x: 1, y: top, width: width - 2, style: look[.muted], look: look)
            }
            return
        }
        let pages = page.lastPage.map { " — page \(page.page)/\($0), PgUp/PgDn" } ?? ""
        canvas.clipped(
            "Orders that can still be invoiced (\(page.total ?? page.items.count))\(pages)", x: 1, y: top,
            width: width - 2, style: look[.title], look: look)
        // No column titles: each row reads as it is (number, date, customer, status, total).
        let table = Table(
            [
                .init("Order #", .init(minimum: 9, maximum: 12, priority: 0)),
                .init("Created", .init(minimum: 10, priority: 3)),
                .init("Customer", .init(minimum: 8, maximum: 40, flex: 1, priority: 1)),
                .init("Status", .init(minimum: 10, maximum: 14, priority: 2)),
                .init("Total", .init(minimum: 10, maximum: 14, priority: 0, alignRight: true)),
            ],
            rows: page.items.map { order in
                [
                    order.incrementId, String((order.createdAt ?? "—").prefix(10)), order.customerName ?? "—", order.status ?? "—",
                    order.grandTotal?.description ?? "—",
                ].map { Table.Cell($0) }
            })
        let room = max(0, limit - top - 1)
        let first = min(ListState.scrolledTop(top: 0, selected: screen.pick ?? 0, visible: room), page.items.count)
        table.draw(
            into: &canvas, area: Rect(x: 1, y: top + 1, width: width - 2, height: room), titles: nil, first: first,
            selected: screen.pick, look: look)
    }

    /// The items table with the quantity to invoice, `room` item rows high;
    /// returns the next free row.
    private func drawPicker(
        _ screen: CreateState, order: Order, top: Int, room: Int, roomy: Bool,
        into canvas: inout Canvas
    ) -> Int {
        let g = look.glyphs
        let table = Table(
            Table.itemColumns(skus: order.items.map(\.sku), narrowest: 12, name: 8...60) + [
                .init("Price", .init(minimum: 0, priority: 4, alignRight: true)),
                .init("Ordered", .init(minimum: 0, priority: 5, alignRight: true)),
                .init("Invoiced", .init(minimum: 0, priority: 3, alignRight: true)),
                .init("Canceled", .init(minimum: 0, priority: 6, alignRight: true)),
                .init("Remaining", .init(minimum: 0, priority: 0, alignRight: true)),
                .init("To invoice", .init(minimum: 10, priority: 0, alignRight: true)),
            ],
            rows: order.items.enumerated().map { index, item in
                [
                    item.sku, item.name, item.price?.description ?? "—", Document.quantity(item.qtyOrdered),
                    Document.quantity(item.qtyInvoiced), Document.quantity(item.qtyCanceled), Document.quantity(item.qtyToInvoice),
                    screen.picker.shown(index),
                ]
                .map { Table.Cell($0) }
            })
        // Keep the selected item on screen when the order has many (roomy:
        // the last row says how many more; compact: the subtotal line does).
        let more = order.items.count > room
        let shown = room
        let first = min(ListState.scrolledTop(top: 0, selected: screen.selected, visible: shown), order.items.count)
        let focused = screen.stage == .form && screen.focus == .items
        var y = table.draw(
            into: &canvas, area: Rect(x: 1, y: top, width: width - 2, height: shown + 1),
            titles: Table.Titles(slot: .muted), first: first, selected: focused ? screen.selected : nil, look: look
        ) { row, column, _ in
            if !screen.picker.isOpen(row) { return .muted }
            return column == 7 ? .accent : .text
        }
        let hidden = order.items.count - min(shown, order.items.count)
        if more, roomy {
            canvas.text("\(g.down) \(hidden) more", x: 1, y: y, style: look[.muted])
            y += 1
        }
        let subtotal =
            "Selection subtotal " + (screen.subtotal?.description ?? "—")
            + (more && !roomy ? " \(g.separator) \(hidden) more items (↑↓)" : "")
        canvas.clipped(subtotal, x: 1, y: y, width: width - 2, style: look[.text], look: look)
        return y + 1
    }

    /// After an unknown outcome or a pending refusal: the order's newest
    /// invoices, so the clerk sees what the store has before deciding.
    private func drawRecentInvoices(_ screen: CreateState, top: Int, limit: Int, into canvas: inout Canvas) {
        guard let invoices = screen.recentInvoices, top < limit else { return }
        canvas.clipped(
            invoices.isEmpty ? "This order has no invoice yet" : "Newest invoices of this order", x: 1, y: top,
            width: width - 2, style: look[.title], look: look)
        for (row, invoice) in invoices.prefix(max(0, limit - top - 1)).enumerated() {
            let text = [
                invoice.incrementId, invoice.state.description, String((invoice.createdAt ?? "—").prefix(16)),
                invoice.grandTotal.description,
            ].joined(separator: "  ")
            canvas.clipped(text, x: 3, y: top + 1 + row, width: width - 4, style: look[.text], look: look)
        }
    }

    private func renderReview(_ plan: CapturePlan, sending: Bool, anyway pending: String?, scroll: Int, into canvas: inout Canvas) {
        ReviewBox(lines: plan.summary, verb: "sends", progress: "sending…").draw(
            into: &canvas, body: bodyArea, sending: sending, anyway: pending, scroll: scroll, look: look)
    }
}
