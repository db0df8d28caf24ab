import FolioCore
import FolioTerminal

extension AppState {
    /// The whole screen as a fresh frame.
    public func render() -> Canvas {
        var canvas = Canvas(width: width, height: height)
        render(into: &canvas)
        return canvas
    }

    /// Draws everything; the backend works out what changed.
    public func render(into canvas: inout Canvas) {
        canvas.cursor = nil
        if isTooSmall {
            let need = "terminal too small (need \(AppState.minimumSize.width)×\(AppState.minimumSize.height))"
            // (A terminal without UTF-8 gets look-alikes from the backend: × becomes x.)
            let text = need
            canvas.fill(canvas.bounds, style: look[.text])
            let lines = TextWidth.of(text) <= width ? [text] : [String(text.prefix(18)), String(text.dropFirst(19))]
            for (i, line) in lines.enumerated() {
                canvas.text(
                    TextWidth.truncate(line, to: width, ellipsis: look.glyphs.ellipsis),
                    x: max(0, (width - TextWidth.of(line)) / 2), y: height / 2 - lines.count / 2 + i, style: look[.warning])
            }
            return
        }
        // The top screen, and the dialogs over it.
        let desk = Desk(state: self)
        // (The list is drawn as itself, not boxed as any Room: it is drawn on most frames.)
        if let screen = rooms.lastIndex(where: { !$0.room.isDialog }) {
            for stacked in rooms[screen...] { stacked.room.render(into: &canvas, desk) }
        } else {
            list.render(into: &canvas, desk)
            for stacked in rooms { stacked.room.render(into: &canvas, desk) }
        }
        renderStatusBar(into: &canvas, desk)
    }

    /// Whether the status line offers `m` now (no dialog open, no text field taking letters).
    var canShowMessage: Bool { !topTakesText && !topIsDialog }

    /// The bottom line: a prompt being typed, else the last message, else the
    /// keys that matter; a spinner at the right while waiting.
    private func renderStatusBar(into canvas: inout Canvas, _ desk: Desk) {
        let y = layout.status.y
        let bar = look[.statusBar]
        canvas.fill(Rect(x: 0, y: y, width: width, height: 1), style: bar)
        var right = ""
        if let doing = rooms.reversed().lazy.compactMap(\.room.waiting).first ?? list.waiting {
            let frames = look.glyphs.spinner
            right = " \(frames[spinner % frames.count]) \(doing)… "
        }
        let rightWidth = min(TextWidth.of(right), width / 2)
        canvas.clipped(right, x: width - rightWidth, y: y, width: rightWidth, style: look[.accent], look: look)
        let room = width - rightWidth
        if rooms.last?.room.statusLine(into: &canvas, area: Rect(x: 0, y: y, width: room, height: 1), desk) == true { return }
        if let message {
            let style: Style =
                switch message.kind {
                case .error: look[.error]
                case .warning: look[.warning]
                case .success: look[.success]
                case .info: bar
                }
            let text = " " + (message.kind == .error ? "✗ " : "") + message.text
            canvas.fill(Rect(x: 0, y: y, width: room, height: 1), style: style)
            // Cut? Say which key shows it whole (where m is not being typed as text).
            let more = " m: all "
            if TextWidth.of(text) > room, canShowMessage, room > TextWidth.of(more) + 8 {
                canvas.clipped(text, x: 0, y: y, width: room - TextWidth.of(more), style: style, look: look)
                canvas.text(
                    more, x: room - TextWidth.of(more), y: y,
                    style: Style(
                        foreground: style.foreground, background: style.background,
                        attributes: style.attributes.union(.bold)))
            } else {
                canvas.clipped(text, x: 0, y: y, width: room, style: style, look: look)
            }
            return
        }
        if let banner = writes.banner {
            canvas.fill(Rect(x: 0, y: y, width: room, height: 1), style: look[.warning])
            canvas.clipped(" " + banner, x: 0, y: y, width: room, style: look[.warning], look: look)
            return
        }
        var x = 1
        // The keys of the screen under any dialog (a dialog names its own keys inside).
        let hints = rooms.last { !$0.room.isDialog }?.room.hints ?? list.hints
        let generic = topTakesText ? [] : GenericAction.keymap.hints
        for hint in hints + generic {
            let keys = hint.keys
            let word = " " + hint.word + "  "
            let need = TextWidth.of(keys) + TextWidth.of(word)
            guard x + need <= room else { break }
            x += canvas.text(
                keys, x: x, y: y,
                style: Style(
                    foreground: bar.foreground, background: bar.background,
                    attributes: bar.attributes.union(.bold)))
            x += canvas.text(word, x: x, y: y, style: bar)
        }
    }
}
