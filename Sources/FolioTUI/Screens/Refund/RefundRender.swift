import FolioCore
import FolioTerminal
import Foundation

/// Draws the refund screen at the desk's size: the invoice line, the lines
/// with invoiced, refunded, left and to refund, the live preview total, the
/// fields, and the review over them.
struct RefundView {
    let desk: Desk
    var width: Int { desk.width }
    var look: Look { desk.look }

    func render(_ screen: RefundState, into canvas: inout Canvas) {
        let body = ScreenHeader.draw(title: "refund from invoice \(screen.invoiceNumber)", into: &canvas, desk)
        canvas.fill(body, style: look[.text])
        let problem =
            screen.problem.map { ($0, Theme.Slot.error) }
            ?? screen.unknown.map {
                (
                    "outcome unknown · ref \($0.reference) · \($0.reason) — the refund may be booked; the invoice below is as the store has it now",
                    Theme.Slot.warning
                )
            }
        let limit = body.maxY - (problem != nil && body.height >= 2 ? 1 : 0)
        if let (text, slot) = problem, body.height >= 2 {
            canvas.fill(Rect(x: 0, y: limit, width: width, height: 1), style: look[slot])
            canvas.clipped(" " + text, x: 0, y: limit, width: width, style: look[slot], look: look)
        }
        let text: String?
        switch screen.stage {
        case .unloaded(let why): text = why
        case .loading: text = "loading invoice \(screen.invoiceNumber)…"
        default: text = nil
        }
        // Never the old form while the invoice is read again or could not be.
        guard let source = screen.source, text == nil else {
            let y = body.y + min(1, body.height - 1)
            if case .unloaded = screen.stage {
                // What went wrong, and under it what to do (a long reason never hides the keys).
                canvas.clipped(text ?? "", x: 2, y: y, width: width - 4, style: look[.error], look: look)
                if y + 1 < limit {
                    canvas.clipped("r tries again · Esc goes back", x: 2, y: y + 1, width: width - 4, style: look[.muted], look: look)
                }
            } else {
                canvas.clipped(text ?? "", x: 2, y: y, width: width - 4, style: look[.muted], look: look)
            }
            return
        }
        // Roomy: blank lines between the parts. Otherwise none, and the items get what is left.
        let fieldRows = 6 + (screen.refundType == .online ? 1 : 0)
        let roomy = limit - body.y >= fieldRows + source.lines.count + 9
        var y = body.y + (roomy ? 1 : 0)
        drawInvoiceLine(source, y: y, into: &canvas)
        y += roomy ? 2 : 1
        let room = max(1, limit - y - fieldRows - 2 - (roomy ? 1 : 0))
        y = drawLines(screen, source, top: y, room: room, into: &canvas)
        y = drawPreview(screen, source, y: y, into: &canvas)
        if roomy { y += 1 }
        drawFields(screen, source, top: y, limit: limit, into: &canvas)
        switch screen.stage {
        case .review(let plan), .sending(_, let plan):
            ReviewBox(lines: plan.summary, verb: "refunds", progress: "refunding…").draw(
                into: &canvas, body: body, sending: screen.isSending, anyway: screen.pendingConfirm, scroll: screen.reviewScroll,
                look: look)
        default: break
        }
    }

    private func money(_ amount: Decimal, _ currency: String) -> String { Money(amount, currency).description }

    private func drawInvoiceLine(_ source: RefundSource, y: Int, into canvas: inout Canvas) {
        let sep = " \(look.glyphs.separator) "
        let x = canvas.text("Invoice \(source.invoiceNumber)", x: 1, y: y, style: look[.title], limit: width - 2) + 1
        let left = source.refundableMoney
        let facts =
            "  "
            + [
                source.orderNumber.map { "order \($0)" },
                "left to refund \(money(left.order, source.currency))"
                    + (source.baseCurrency == source.currency ? "" : " (base \(money(left.base, source.baseCurrency)))"),
                "of \(money(source.grandTotal.order, source.currency))", source.state.description,
                source.captureMode.map { $0 == "no_capture" ? "not captured" : "captured \($0)" },
            ]
            .compactMap { $0 }.joined(separator: sep)
        canvas.clipped(facts, x: x, y: y, width: width - x - 1, style: look[.text], look: look)
    }

    /// The invoice's lines with what can be refunded, `room` rows high; returns the next free row.
    private func drawLines(_ screen: RefundState, _ source: RefundSource, top: Int, room: Int, into canvas: inout Canvas) -> Int {
        let table = Table(
            Table.itemColumns(skus: source.lines.map(\.sku), narrowest: 12, name: 8...60) + [
                .init("Price", .init(minimum: 0, priority: 4, alignRight: true)),
                .init("Invoiced", .init(minimum: 0, priority: 3, alignRight: true)),
                .init("Refunded", .init(minimum: 0, priority: 2, alignRight: true)),
                .init("Left", .init(minimum: 0, priority: 0, alignRight: true)),
                .init("To refund", .init(minimum: 9, priority: 0, alignRight: true)),
            ],
            rows: source.lines.enumerated().map { index, line in
                [
                    line.sku, line.name, line.price.map { money($0, source.currency) } ?? "—", Document.quantity(line.qty),
                    Document.quantity(line.qtyRefunded), Document.quantity(line.refundable), screen.picker.shown(index),
                ]
                .map { Table.Cell($0) }
            })
        let first = min(ListState.scrolledTop(top: 0, selected: screen.picker.selected, visible: room), source.lines.count)
        let focused = screen.stage == .form && screen.focus == .items
        var y = table.draw(
            into: &canvas, area: Rect(x: 1, y: top, width: width - 2, height: room + 1), titles: Table.Titles(slot: .muted),
            first: first, selected: focused ? screen.picker.selected : nil, look: look
        ) { row, column, _ in
            if !screen.picker.isOpen(row) { return .muted }
            return column == 6 ? .accent : .text
        }
        let hidden = max(0, source.lines.count - first - room)
        if hidden > 0 {
            let more = "\(look.glyphs.down) \(hidden) more line\(hidden == 1 ? "" : "s") (↑↓)"
            canvas.clipped(more, x: 1, y: y, width: width - 2, style: look[.muted], look: look)
            y += 1
        }
        return y
    }

    /// The total the form comes to now, as the store will book it, or why it cannot be sent as it is.
    private func drawPreview(_ screen: RefundState, _ source: RefundSource, y: Int, into canvas: inout Canvas) -> Int {
        let text: String
        var slot = Theme.Slot.text
        do throws(FolioError) {
            let total = try screen.plan().preview.grandTotal
            text =
                "Refund total \(money(total.order, source.currency))"
                + (source.baseCurrency == source.currency ? "" : " (base \(money(total.base, source.baseCurrency)))")
        } catch {
            text = "Refund total — " + error.message
            slot = .muted
        }
        canvas.clipped(text, x: 1, y: y, width: width - 2, style: look[slot], look: look)
        return y + 1
    }

    /// Shipping, the adjustments, refund type, email and comment, a row each;
    /// on a short terminal the rows scroll so that the focused one shows.
    private func drawFields(_ screen: RefundState, _ source: RefundSource, top: Int, limit: Int, into canvas: inout Canvas) {
        let focused = { (f: RefundState.Focus) in screen.stage == .form && screen.focus == f }
        let online = screen.refundType == .online
        let rows: [RefundState.Focus] = [.shipping, .credit, .fee, .refundType] + (online ? [.refundType] : []) + [.email, .comment]
        let focusedRow = screen.stage == .form ? rows.firstIndex(of: screen.focus) : nil
        let skip = focusedRow.map { max(0, $0 - (limit - top) + 1) } ?? 0
        var row = 0
        /// The screen row of the next field, nil when it is scrolled away or below the limit.
        func next() -> Int? {
            defer { row += 1 }
            let y = top + row - skip
            return row >= skip && y < limit ? y : nil
        }
        func field(_ editor: LineEditor, _ focus: RefundState.Focus, note: String) {
            guard let y = next() else { return }
            let fieldWidth = min(width - 2, TextWidth.of(editor.prompt) + 14)
            let cursor = editor.draw(
                into: &canvas, x: 1, y: y, width: fieldWidth, style: focused(focus) ? look[.selection] : look[.text],
                promptStyle: focused(focus) ? look[.accent] : look[.muted])
            if focused(focus) { canvas.cursor = cursor }
            canvas.clipped(note, x: fieldWidth + 2, y: y, width: width - fieldWidth - 3, style: look[.muted], look: look)
        }
        let shippingLeft = money(source.refundableShipping, source.currency)
        field(
            screen.shipping, .shipping,
            note: source.refundableShipping > 0 ? "up to \(shippingLeft) left (^T all); empty is none" : "no shipping left to refund")
        field(screen.credit, .credit, note: "added to the refund (adjustment refund)")
        field(screen.fee, .fee, note: "subtracted from the refund (adjustment fee)")
        if let y = next() {
            // Narrow: a shorter label, so that both choices show.
            let label = width >= 40 ? "Refund       " : "Refund "
            var x = 1 + canvas.text(label, x: 1, y: y, style: focused(.refundType) ? look[.accent] : look[.muted])
            for type in RefundType.allCases {
                let chosen = type == screen.refundType
                let style = chosen ? (focused(.refundType) ? look[.selection] : look[.accent]) : look[.text]
                x += canvas.text(chosen ? "[\(type.rawValue)]" : " \(type.rawValue) ", x: x, y: y, style: style) + 1
            }
            let note =
                online
                ? ""
                : screen.onlineRefusal != nil
                    ? "records the refund only"
                    : source.captureMode == nil
                        ? "records the refund; online: the gateway decides" : "records the refund; online is possible"
            canvas.clipped(note, x: x + 1, y: y, width: width - x - 2, style: look[.muted], look: look)
        }
        if online, let y = next() {
            canvas.clipped(
                "money moves: the payment method sends the refund back to the customer's card; it cannot be taken back here",
                x: 14, y: y, width: width - 15, style: look[.warning], look: look)
        }
        if let y = next() {
            let x = 1 + canvas.text("Email        ", x: 1, y: y, style: focused(.email) ? look[.accent] : look[.muted])
            canvas.clipped(
                (screen.sendEmail ? "[x]" : "[ ]") + " email the credit memo to the customer", x: x, y: y, width: width - x - 1,
                style: focused(.email) ? look[.selection] : look[.text], look: look)
        }
        if let y = next() {
            let cursor = screen.comment.draw(
                into: &canvas, x: 1, y: y, width: width - 2, style: look[.text],
                promptStyle: focused(.comment) ? look[.accent] : look[.muted])
            if focused(.comment) { canvas.cursor = cursor }
        }
    }
}
