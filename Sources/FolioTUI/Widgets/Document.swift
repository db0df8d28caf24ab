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
        var x = start
        var spans: Line = []
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
        var out: [String] = []
        var current = ""
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

    /// A table laid out to the document's width: the title row, then each
    /// row with its note (an item's options) on a line of its own.
    mutating func table(_ table: Table, notes: [String?] = []) {
        let widths = table.widths(in: width - 2)
        func spans(_ cells: [Table.Cell]) -> Line {
            table.placed(cells, widths: widths, from: 1).map { p in
                let right = table.columns[p.column].layout.alignRight
                return Span(
                    x: p.x, text: right ? p.cell.text : TextWidth.truncate(p.cell.text, to: p.width, ellipsis: glyphs.ellipsis),
                    slot: p.cell.slot, width: right ? p.width : nil)
            }
        }
        lines.append(spans(table.columns.map { Table.Cell($0.title, .muted) }))
        let noteX = 1 + (widths[0].map { $0 + table.gap } ?? 0)
        for (r, cells) in table.rows.enumerated() {
            lines.append(spans(cells))
            if r < notes.count, let note = notes[r], !note.isEmpty {
                lines.append([
                    Span(
                        x: noteX, text: TextWidth.truncate(note, to: max(1, width - noteX - 1), ellipsis: glyphs.ellipsis),
                        slot: .muted)
                ])
            }
        }
    }

    /// Draws lines `first…` into `area`.
    func draw(into canvas: inout Canvas, area: Rect, first: Int, look: Look) {
        for (row, line) in lines.dropFirst(first).prefix(area.height).enumerated() {
            for span in line {
                let x = area.x + span.x
                guard x < area.maxX else { continue }
                canvas.clipped(
                    span.text, x: x, y: area.y + row, width: min(span.width ?? Int.max, area.maxX - x),
                    style: look[span.slot], look: look, alignRight: span.width != nil)
            }
        }
    }
}
