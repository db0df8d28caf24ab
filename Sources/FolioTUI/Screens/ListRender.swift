import FolioCore
import FolioTerminal

/// Drawing the list: the header with filters, sort and page, the column
/// titles, and the rows (or what the list is waiting for).
extension ListState {
    /// The columns for these rows. An amount is never cut: the total column
    /// is as wide as the widest amount on the page, and other columns give way.
    /// The time of day joins the date only where there is room to spare.
    static func listColumns(for lines: [ListLine], width: Int) -> ColumnLayout {
        let widestTotal = lines.reduce(11) { max($0, $1.totalWidth) }
        let created = width >= 120 ? 16 : 10
        return ColumnLayout([
            .init(minimum: 9, maximum: 12, priority: 0),                                  // invoice #
            .init(minimum: 9, maximum: 12, priority: 3),                                  // order #
            .init(minimum: 8, maximum: 9, priority: 1),                                   // state
            .init(minimum: created, priority: 4),                                         // created
            .init(minimum: 8, maximum: 60, flex: 1, priority: 5),                         // bill-to
            .init(minimum: widestTotal, priority: 0, alignRight: true),                   // grand total
            .init(minimum: 5, maximum: 5, priority: 6),                                   // email sent
        ], gap: 2)
    }
    static let listTitles = ["Invoice #", "Order #", "State", "Created", "Bill-to", "Grand total", "Email"]

    /// Rows of the body: between the header and column titles, and the status bar.
    static func bodyHeight(_ height: Int) -> Int { max(0, height - 3) }

    func draw(into canvas: inout Canvas, _ desk: Desk) {
        let width = desk.width, look = desk.look
        drawHeader(into: &canvas, desk)
        let columns = ListState.listColumns(for: lines, width: width)
        let widths = columns.widths(in: width)
        var x = 0
        let sortColumn: Int? = switch query.sort {
        case .incrementId: 0
        case .createdAt: 3
        case .grandTotal: 5
        default: nil
        }
        let arrow = query.descending ? look.glyphs.down : look.glyphs.up
        canvas.fill(Rect(x: 0, y: 1, width: width, height: 1), style: look[.title])
        for (i, w) in widths.enumerated() {
            guard let w else { continue }
            let title = ListState.listTitles[i] + (i == sortColumn ? " " + arrow : "")
            canvas.clipped(title, x: x, y: 1, width: w, style: look[.title], look: look, alignRight: columns.columns[i].alignRight)
            x += w + columns.gap
        }
        let body = Rect(x: 0, y: 2, width: width, height: ListState.bodyHeight(desk.height))
        canvas.fill(body, style: look[.text])
        if rows.isEmpty {
            let note = !loaded ? (loading != nil ? "loading invoices…" : "no invoices loaded — R to retry")
                : "no invoices match — s, d or Esc change the filters"
            canvas.clipped(note, x: 2, y: body.y + min(1, body.height - 1), width: width - 4, style: look[.muted], look: look)
            return
        }
        let first = ListState.scrolledTop(top: top, selected: selected, visible: body.height)
        for (line, index) in (first..<min(rows.count, first + body.height)).enumerated() {
            drawRow(lines[index], y: body.y + line, columns: columns, widths: widths, selected: index == selected,
                    look: look, into: &canvas)
        }
    }

    private func drawRow(_ row: ListLine, y: Int, columns: ColumnLayout, widths: [Int?], selected: Bool, look: Look,
                         into canvas: inout Canvas) {
        let created = widths[3].map { $0 >= 16 ? row.created : String(row.created.prefix(10)) } ?? ""
        let cells: [(String, Style)] = [
            (row.invoice, look[.text]),
            (row.order, look[.text]),
            (row.state, look[row.stateSlot]),
            (created, look[.text]),
            (row.billTo, look[.text]),
            (row.total, look[.text]),
            (row.email, row.emailSent ? look[.text] : look[.muted]),
        ]
        var x = 0
        if selected { canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: 1), style: look[.selection]) }
        for (i, w) in widths.enumerated() {
            guard let w else { continue }
            canvas.clipped(cells[i].0, x: x, y: y, width: w, style: selected ? look[.selection] : cells[i].1, look: look,
                           alignRight: columns.columns[i].alignRight)
            x += w + columns.gap
        }
    }

    private func drawHeader(into canvas: inout Canvas, _ desk: Desk) {
        let width = desk.width, look = desk.look, context = desk.profile
        let style = look[.header]
        canvas.fill(Rect(x: 0, y: 0, width: width, height: 1), style: style)
        let g = look.glyphs
        let left = " Folio \(g.separator) \(context) \(g.vertical) "
        var right = ""
        if loaded {
            // Narrow terminals get the short form: `2/37 · 1,820`.
            let wide = width >= 72
            let pages = (wide ? "page " : "") + (lastPage.map { "\(page)/\($0)" } ?? "\(page)")
            let count = total.map {
                " \(g.separator) \(ListState.grouped($0))" + (wide ? " invoice\($0 == 1 ? "" : "s")" : "")
            } ?? ""
            right = " \(pages)\(count) "
        }
        var filters: [String] = []
        if let search = search { filters.append(search.label) }
        let states = query.states
        if !states.isEmpty { filters.append("state: " + states.sorted().map { InvoiceState(code: $0).description }.joined(separator: ",")) }
        if let label = dateLabel {
            filters.append("created: \(label)")
        } else if query.createdFrom != nil || query.createdTo != nil {
            filters.append("created: \(query.createdFrom?.text ?? "…") – \(query.createdTo?.text ?? "…")")
        }
        if filters.isEmpty { filters.append("all invoices") }
        let sort = "sort: \(query.sort.label) \(query.descending ? g.down : g.up)"
        let middle = (filters + [sort]).joined(separator: " \(g.separator) ")
        let leftWidth = min(TextWidth.of(left), width)
        let rightWidth = min(TextWidth.of(right), max(0, width - leftWidth))
        canvas.clipped(left, x: 0, y: 0, width: leftWidth, style: style, look: look)
        canvas.clipped(middle, x: leftWidth, y: 0, width: width - leftWidth - rightWidth - 1, style: style, look: look)
        canvas.clipped(right, x: width - rightWidth, y: 0, width: rightWidth, style: style, look: look)
    }
}

extension ListState {
    /// The first visible row that keeps `selected` on screen.
    static func scrolledTop(top: Int, selected: Int, visible: Int) -> Int {
        guard visible > 0 else { return selected }
        if selected < top { return selected }
        if selected >= top + visible { return selected - visible + 1 }
        return top
    }


    /// `12,345`.
    static func grouped(_ n: Int) -> String {
        var digits = String(n), out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }
}

/// One invoice as the list writes it.
struct ListLine: Sendable {
    let invoice, order, state, created, billTo, total, email: String
    let totalWidth: Int
    let stateSlot: Theme.Slot
    let emailSent: Bool

    init(_ invoice: InvoiceSummary) {
        self.invoice = invoice.incrementId
        order = invoice.orderIncrementId ?? "—"
        state = invoice.state.description
        created = invoice.createdAt.map { String($0.prefix(16)) } ?? "—"
        billTo = invoice.billingName ?? "—"
        total = invoice.grandTotal.description
        totalWidth = TextWidth.of(total)
        email = invoice.emailSent == true ? "yes" : invoice.emailSent == false ? "no" : "—"
        emailSent = invoice.emailSent == true
        stateSlot = switch invoice.state {
        case .paid: .statePaid
        case .canceled: .stateCanceled
        case .unknown: .text
        default: .stateOpen
        }
    }
}
