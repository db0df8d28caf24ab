import FolioTerminal

/// Small drawing helpers shared by screens and dialogs.
extension Canvas {
    /// A framed box with a title; returns the inside.
    @discardableResult
    mutating func box(_ rect: Rect, title: String, look: Look) -> Rect {
        let g = look.glyphs
        let border = look[.border]
        fill(rect, style: look[.text])
        guard rect.width >= 2, rect.height >= 2 else { return rect }
        let line = String(repeating: g.horizontal, count: rect.width - 2)
        text(String(g.topLeft) + line + String(g.topRight), x: rect.x, y: rect.y, style: border)
        text(String(g.bottomLeft) + line + String(g.bottomRight), x: rect.x, y: rect.maxY - 1, style: border)
        for y in rect.y + 1..<rect.maxY - 1 {
            text(String(g.vertical), x: rect.x, y: y, style: border)
            text(String(g.vertical), x: rect.maxX - 1, y: y, style: border)
        }
        let label = TextWidth.truncate(" \(title) ", to: rect.width - 4, ellipsis: g.ellipsis)
        text(label, x: rect.x + 2, y: rect.y, style: look[.title])
        return Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
    }

    /// Text cut to fit `width` columns with the look's ellipsis.
    mutating func clipped(_ string: String, x: Int, y: Int, width: Int, style: Style, look: Look, alignRight: Bool = false) {
        guard width > 0 else { return }
        let cut = TextWidth.truncate(string, to: width, ellipsis: look.glyphs.ellipsis)
        let shift = alignRight ? width - TextWidth.of(cut) : 0
        text(cut, x: x + shift, y: y, style: style, limit: width - shift)
    }
}

extension Rect {
    /// A rectangle of at most this size, centred in this one.
    func centered(width w: Int, height h: Int) -> Rect {
        let width = min(w, self.width)
        let height = min(h, self.height)
        return Rect(x: x + (self.width - width) / 2, y: y + (self.height - height) / 2, width: width, height: height)
    }
}
