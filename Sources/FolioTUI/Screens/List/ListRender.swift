import FolioCore
import FolioTerminal

/// Drawing the list: the header with filters, sort and page, the column
/// titles, and the rows (or what the list is waiting for).
extension ListState {
    /// The list's table for these rows. An amount is never cut (the total
    /// column is as wide as the widest amount on the page); the time of day
    /// joins the date only where there is room to spare.
    static func table(_ rows: [InvoiceSummary]) -> Table {
        Table(
            [
                .init("Invoice #", .init(minimum: 9, maximum: 12, priority: 0)),
                .init("Order #", .init(minimum: 9, maximum: 12, priority: 3)),
                .init("State", .init(minimum: 8, maximum: 9, priority: 1)),
                .init("Created", .init(minimum: 10, priority: 4)),
                .init("Bill-to", .init(minimum: 8, maximum: 60, flex: 1, priority: 5)),
                .init("Grand total", .init(minimum: 11, priority: 0, alignRight: true)),
                .init("Email", .init(minimum: 5, maximum: 5, priority: 6)),
            ],
            rows: rows.map { invoice in
                let created = invoice.createdAt.map { String($0.prefix(16)) } ?? "—"
                return [
                    .init(invoice.incrementId),
                    .init(invoice.orderIncrementId ?? "—"),
                    .init(invoice.state.description, invoice.state.slot),
                    .init(created, short: String(created.prefix(10))),
                    .init(invoice.billingName ?? "—"),
                    .init(invoice.grandTotal.description),
                    invoice.emailSent == true ? .init("yes") : .init(invoice.emailSent == false ? "no" : "—", .muted),
                ]
            })
    }

    /// Rows of the body: between the header and column titles, and the status bar.
    static func bodyHeight(_ height: Int) -> Int { max(0, ScreenLayout(width: 0, height: height).body.height - 1) }

    func draw(into canvas: inout Canvas, _ desk: Desk) {
        let width = desk.width
        let look = desk.look
        drawHeader(into: &canvas, desk)
        let area = desk.layout.body
        canvas.fill(area, style: look[.text])
        var table = self.table
        // The time of day joins the date on a wide terminal.
        table.columns[3].layout.minimum = width >= 120 ? 16 : 10
        let sortColumn: Int? =
            switch query.sort {
            case .incrementId: 0
            case .createdAt: 3
            case .grandTotal: 5
            default: nil
            }
        let titles = Table.Titles(
            slot: .title, filled: true,
            mark: sortColumn.map { ($0, query.descending ? look.glyphs.down : look.glyphs.up) })
        let first = ListState.scrolledTop(top: top, selected: selected, visible: area.height - 1)
        table.draw(into: &canvas, area: area, titles: titles, first: first, selected: selected, look: look)
        if rows.isEmpty {
            let note =
                !loaded
                ? (loading != nil ? "loading invoices…" : "no invoices loaded — R to retry")
                : "no invoices match — s, d or Esc change the filters"
            canvas.clipped(note, x: 2, y: area.y + 1 + min(1, area.height - 2), width: width - 4, style: look[.muted], look: look)
        }
    }

    /// Filters and sort as the title; the page and count at the right, in a
    /// short form (`2/37 · 1,820`) when the long one does not fit.
    private func drawHeader(into canvas: inout Canvas, _ desk: Desk) {
        let g = desk.look.glyphs
        var positions = [""]
        if loaded {
            let pages = lastPage.map { "\(page)/\($0)" } ?? "\(page)"
            let count = total.map { " \(g.separator) \(ListState.grouped($0))" } ?? ""
            let noun = total.map { " invoice\($0 == 1 ? "" : "s")" } ?? ""
            positions = [" page \(pages)\(count)\(noun) ", " \(pages)\(count) "]
        }
        var filters: [String] = []
        if let search { filters.append(search.label) }
        if !query.states.isEmpty {
            let states = InvoiceQuery.filterableStates.filter(query.states.contains)
            filters.append("state: " + states.map(\.description).joined(separator: ","))
        }
        if let dateLabel {
            filters.append("created: \(dateLabel)")
        } else if query.createdFrom != nil || query.createdTo != nil {
            filters.append("created: \(query.createdFrom?.text ?? "…") – \(query.createdTo?.text ?? "…")")
        }
        if filters.isEmpty { filters.append("all invoices") }
        let sort = "sort: \(query.sort.label) \(query.descending ? g.down : g.up)"
        ScreenHeader.draw(title: (filters + [sort]).joined(separator: " \(g.separator) "), positions: positions, into: &canvas, desk)
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
        var digits = String(n)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }
}

extension InvoiceState {
    /// The one colour of a state, wherever it shows.
    var slot: Theme.Slot {
        switch self {
        case .paid: .statePaid
        case .canceled: .stateCanceled
        case .unknown: .text
        default: .stateOpen
        }
    }
}
