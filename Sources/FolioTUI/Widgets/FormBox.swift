import FolioTerminal

/// A small dialog of lines, one of them perhaps a text field, and the keys'
/// line last: a blank line between them when there is room; on a short
/// terminal without the blanks, then without the lines that may go (those
/// with a `drop` rank, the highest first). The field being typed and the
/// keys always show.
struct FormBox {
    enum Row {
        case text(String, Theme.Slot, drop: Int? = nil)
        case field(LineEditor, active: Bool)
    }

    static func draw(
        title: String, width: Int, rows: [Row], hint: String, hintSlot: Theme.Slot, into canvas: inout Canvas, area: Rect,
        look: Look
    ) {
        var rows = rows + [.text(hint, hintSlot)]
        let spacedHeight = rows.count * 2 - 1
        let inside = canvas.box(area.centered(width: width, height: spacedHeight + 2), title: title, look: look)
        let spaced = inside.height >= spacedHeight
        // Drop the droppable rows, highest rank first, until what is left fits.
        while rows.count > inside.height,
            let worst = rows.indices.filter({ rank(rows[$0]) != nil }).max(by: { rank(rows[$0])! < rank(rows[$1])! })
        {
            rows.remove(at: worst)
        }
        var y = inside.y
        for row in rows where y < inside.maxY {
            switch row {
            case .text(let text, let slot, _):
                canvas.clipped(text, x: inside.x + 1, y: y, width: inside.width - 2, style: look[slot], look: look)
            case .field(let editor, let active):
                let cursor = editor.draw(
                    into: &canvas, x: inside.x + 1, y: y, width: inside.width - 2, style: look[.text], promptStyle: look[.muted])
                if active { canvas.cursor = cursor }
            }
            y += spaced ? 2 : 1
        }
    }

    private static func rank(_ row: Row) -> Int? {
        if case .text(_, _, let drop) = row { return drop }
        return nil
    }
}
