import FolioTerminal

/// Columns with titles over rows of styled cells (ratatui's `Table`): the
/// columns are fitted with `ColumnLayout`, and an amount is never cut — a
/// right-aligned column is as wide as its widest cell, and other columns
/// give way or go. The list, the create picker, the orders to pick from and
/// the documents' item tables are each one of these.
struct Table: Sendable {
    struct Column: Sendable {
        var title: String
        var layout: ColumnLayout.Column
        init(_ title: String, _ layout: ColumnLayout.Column) {
            self.title = title
            self.layout = layout
        }
    }

    struct Cell: Sendable {
        var text: String
        var slot: Theme.Slot
        /// A shorter form for a narrow column (a date without its time).
        var short: String?
        /// The long form's width, measured once, when there is a short form to choose.
        let fullWidth: Int
        init(_ text: String, _ slot: Theme.Slot = .text, short: String? = nil) {
            self.text = text
            self.slot = slot
            self.short = short
            fullWidth = short == nil ? 0 : TextWidth.of(text)
        }

        /// The form that fits `width` columns.
        func fitted(to width: Int) -> String { short.map { fullWidth > width ? $0 : text } ?? text }
    }

    var columns: [Column]
    var rows: [[Cell]]
    var gap = 2
    /// The columns' layout; right-aligned columns were fitted to their widest cell once, in `init`.
    var layout: ColumnLayout { ColumnLayout(columns.map(\.layout), gap: gap) }

    init(_ columns: [Column], rows: [[Cell]], gap: Int = 2) {
        self.rows = rows
        self.gap = gap
        var fitted = columns
        for i in fitted.indices where fitted[i].layout.alignRight {
            let widest = rows.reduce(TextWidth.of(fitted[i].title)) { max($0, TextWidth.of($1[i].text)) }
            fitted[i].layout.minimum = max(fitted[i].layout.minimum, widest)
            fitted[i].layout.maximum = max(fitted[i].layout.maximum, fitted[i].layout.minimum)
        }
        self.columns = fitted
    }

    /// The SKU and name columns every item table starts with: the SKU as wide
    /// as the widest one (down to `narrowest` when room runs out), the name
    /// taking most of what is left.
    static func itemColumns(skus: [String], narrowest: Int = 14, name: ClosedRange<Int> = 10...80) -> [Column] {
        let sku = skus.reduce(3) { max($0, TextWidth.of($1)) }
        return [
            Column("SKU", .init(minimum: min(sku, narrowest), maximum: sku, flex: 1, priority: 2)),
            Column("Name", .init(minimum: name.lowerBound, maximum: name.upperBound, flex: 4, priority: 1)),
        ]
    }

    /// Each column's width in `width`, nil for a column that gave way.
    func widths(in width: Int) -> [Int?] { layout.widths(in: width) }

    /// One row's cells placed from `x`: where each shown column starts, its
    /// width and cell (in its short form when the long one does not fit).
    func placed(_ cells: [Cell], widths: [Int?], from start: Int) -> [(column: Int, x: Int, width: Int, cell: Cell)] {
        var x = start
        var out: [(column: Int, x: Int, width: Int, cell: Cell)] = []
        for (i, w) in widths.enumerated() {
            guard let w else { continue }
            var cell = cells[i]
            cell.text = cell.fitted(to: w)
            out.append((i, x, w, cell))
            x += w + gap
        }
        return out
    }

    /// How the title row is drawn: its style, whether it fills its line, and
    /// a mark after one column's title (the sort arrow).
    struct Titles {
        var slot: Theme.Slot
        var filled = false
        var mark: (column: Int, text: String)?
    }

    /// The title row at the top of `area` (unless `titles` is nil), then the
    /// rows from `first` below it, the `selected` one filling its whole line;
    /// `slot` may restyle a cell (a dimmed row). Returns the row after the last one drawn.
    @discardableResult
    func draw(
        into canvas: inout Canvas, area: Rect, titles: Titles?, first: Int = 0, selected: Int? = nil, look: Look,
        slot: (_ row: Int, _ column: Int, _ cell: Cell) -> Theme.Slot = { _, _, cell in cell.slot }
    ) -> Int {
        guard area.height > 0 else { return area.y }
        let widths = widths(in: area.width)
        // Where each shown column starts (the rows are drawn cell by cell, without a list a row).
        var starts: [(column: Int, x: Int, width: Int, alignRight: Bool)] = []
        var x = area.x
        for (i, w) in widths.enumerated() {
            guard let w else { continue }
            starts.append((i, x, w, columns[i].layout.alignRight))
            x += w + gap
        }
        var y = area.y
        if let titles {
            if titles.filled { canvas.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: look[titles.slot]) }
            let titleCells = columns.enumerated().map { i, column in
                Cell(column.title + (titles.mark?.column == i ? " " + titles.mark!.text : ""), titles.slot)
            }
            for p in placed(titleCells, widths: widths, from: area.x) {
                canvas.clipped(
                    p.cell.text, x: p.x, y: y, width: p.width, style: look[titles.slot], look: look,
                    alignRight: columns[p.column].layout.alignRight)
            }
            y += 1
        }
        for index in first..<max(first, min(rows.count, first + area.maxY - y)) {
            let chosen = index == selected
            if chosen { canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: 1), style: look[.selection]) }
            let row = rows[index]
            for s in starts {
                let cell = row[s.column]
                canvas.clipped(
                    cell.fitted(to: s.width), x: s.x, y: y, width: s.width,
                    style: chosen ? look[.selection] : look[slot(index, s.column, cell)], look: look, alignRight: s.alignRight)
            }
            y += 1
        }
        return y
    }
}
