import FolioTerminal

/// The review of a write before it is sent (create, refund): exactly what
/// will be sent, in a box over the form, scrolled on a short terminal, and
/// one hint line: how to send, that it is out, or that an earlier write of
/// unknown outcome makes `y` a "send anyway".
struct ReviewBox {
    let lines: [String]
    /// "sends", "refunds": what `y` does.
    let verb: String
    /// "sending…", "refunding…": shown while the write is out.
    let progress: String

    /// The review's scroll position kept in range for `body`: the box is the lines plus frame and hint.
    static func scrolled(_ scroll: Int, by step: Int, lines: Int, body: Rect) -> Int {
        let visible = min(lines + 4, body.height) - 3
        return max(0, min(scroll + step, max(0, lines - visible)))
    }

    func draw(into canvas: inout Canvas, body: Rect, sending: Bool, anyway pending: String?, scroll: Int, look: Look) {
        let inside = canvas.box(body.centered(width: 70, height: lines.count + 4), title: "Review — this is what will be sent", look: look)
        // Too short for all of it: it scrolls, and the last line says there is more.
        let visible = max(0, inside.height - 1)
        let first = max(0, min(scroll, lines.count - visible))
        for (row, line) in lines.dropFirst(first).prefix(visible).enumerated() {
            canvas.clipped(line, x: inside.x + 1, y: inside.y + row, width: inside.width - 2, style: look[.text], look: look)
        }
        let more = first + visible < lines.count ? "\(look.glyphs.down) more · " : first > 0 ? "\(look.glyphs.up) " : ""
        let hint =
            more
            + (sending
                ? progress
                : pending.map { "ref \($0) is still unknown: y \(verb) anyway · Esc goes back" }
                    ?? "y or Enter \(verb) · Esc goes back to editing")
        canvas.clipped(
            hint, x: inside.x + 1, y: inside.maxY - 1, width: inside.width - 2,
            style: sending ? look[.accent] : look[.muted], look: look)
    }
}
