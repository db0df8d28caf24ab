import FolioTerminal

/// The top line of every screen: Folio, the profile, what the screen shows,
/// and at the right where it sits (a page, a position in the list). On a
/// narrow terminal the title comes first: the position gives way to a
/// shorter form, then "Folio ·", and at last the title is cut.
enum ScreenHeader {
    /// Draws the header with the first `positions` form that fits (longest
    /// first); returns the body below it, down to the status bar.
    @discardableResult
    static func draw(title: String, positions: [String] = [""], into canvas: inout Canvas, _ desk: Desk) -> Rect {
        let look = desk.look
        let area = desk.layout.header
        let style = look[.header]
        canvas.fill(area, style: style)
        let g = look.glyphs
        let titles = [" Folio \(g.separator) \(desk.profile) \(g.vertical) \(title)", " \(desk.profile) \(g.vertical) \(title)"]
        let positions = positions.isEmpty ? [""] : positions
        let (left, right) =
            titles.lazy.flatMap { t in positions.map { (t, $0) } }
            .first { TextWidth.of($0.0) + TextWidth.of($0.1) <= area.width } ?? (titles[1], positions.last!)
        let rightWidth = min(TextWidth.of(right), area.width)
        canvas.clipped(left, x: area.x, y: area.y, width: area.width - rightWidth, style: style, look: look)
        canvas.clipped(right, x: area.maxX - rightWidth, y: area.y, width: rightWidth, style: style, look: look)
        return desk.layout.body
    }
}
