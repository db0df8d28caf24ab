import FolioTerminal

/// Scrollable content as lines of styled spans, laid out once for a width
/// and then drawn from any line: a keypress scrolls, it does not lay out.
/// The detail and the order views build one each.
struct Document: Sendable {
    struct Span: Sendable {
        var x: Int
        var text: String
        var slot: Theme.Slot
        /// Right-align within this many columns from `x` (amounts), else left.
        var width: Int?
    }
    typealias Line = [Span]

    var lines: [Line] = []
    let width: Int
    let glyphs: Glyphs

    init(width: Int, glyphs: Glyphs) {
        self.width = width
        self.glyphs = glyphs
    }

    mutating func add(_ line: Line) { lines.append(line) }
    mutating func blank() { lines.append([]) }

    /// Spans one after another from the left margin.
    mutating func line(_ parts: [(String, Theme.Slot)], from start: Int = 1) {
        var x = start, spans: Line = []
        for (text, slot) in parts {
            spans.append(Span(x: x, text: text, slot: slot))
            x += TextWidth.of(text)
        }
        lines.append(spans)
    }

    /// Text wrapped at spaces to the width, a line each.
    mutating func paragraph(_ text: String, slot: Theme.Slot) {
        for piece in Document.wrap(text, width: max(10, width - 2)) { lines.append([Span(x: 1, text: piece, slot: slot)]) }
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var out: [String] = [], current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if TextWidth.of(candidate) <= width || current.isEmpty {
                current = candidate
            } else {
                out.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// A table: titles, then a line per row, and under a row (in its second
    /// column) its note, if any. Right-aligned columns hold amounts and are
    /// never cut; the others give way by the layout's priorities.
    mutating func table(titles: [String], rows: [[String]], columns: [ColumnLayout.Column], notes: [String?] = [],
                        slot: (_ row: Int, _ column: Int) -> Theme.Slot = { _, _ in .text }) {
        var columns = columns
        for i in columns.indices where columns[i].alignRight {
            let widest = rows.reduce(TextWidth.of(titles[i])) { max($0, TextWidth.of($1[i])) }
            columns[i].minimum = widest
            columns[i].maximum = widest
        }
        let layout = ColumnLayout(columns, gap: 2)
        let widths = layout.widths(in: width - 2)
        func spans(_ cells: [String], slot: (Int) -> Theme.Slot) -> Line {
            var x = 1, out: Line = []
            for (i, w) in widths.enumerated() {
                guard let w else { continue }
                let right = layout.columns[i].alignRight
                out.append(Span(x: x, text: right ? cells[i] : TextWidth.truncate(cells[i], to: w, ellipsis: glyphs.ellipsis),
                                slot: slot(i), width: right ? w : nil))
                x += w + layout.gap
            }
            return out
        }
        lines.append(spans(titles) { _ in .muted })
        let noteX = 1 + (widths[0].map { $0 + layout.gap } ?? 0)
        for (r, cells) in rows.enumerated() {
            lines.append(spans(cells) { slot(r, $0) })
            if r < notes.count, let note = notes[r], !note.isEmpty {
                lines.append([Span(x: noteX, text: TextWidth.truncate(note, to: max(1, width - noteX - 1), ellipsis: glyphs.ellipsis),
                                   slot: .muted)])
            }
        }
    }

    /// Draws lines `first…` into `area`.
    func draw(into canvas: inout Canvas, area: Rect, first: Int, look: Look) {
        for (row, line) in lines.dropFirst(first).prefix(area.height).enumerated() {
            for span in line {
                let x = area.x + span.x
                guard x < area.maxX else { continue }
                canvas.clipped(span.text, x: x, y: area.y + row, width: min(span.width ?? Int.max, area.maxX - x),
                               style: look[span.slot], look: look, alignRight: span.width != nil)
            }
        }
    }
}
