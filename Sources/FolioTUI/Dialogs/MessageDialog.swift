import FolioTerminal

/// `m`: the last message whole, wrapped to the window. The status line has
/// one row, and an error (a store's long refusal, a path) can be longer than
/// the screen is wide; here every word of it can be read.
struct MessageDialog: Sendable, Equatable {
    var text: String
    var kind: StatusMessage.Kind
    var scroll = 0

    init(_ message: StatusMessage) {
        text = message.text
        kind = message.kind
    }

    enum Action: Sendable, Equatable {
        case scroll(ScrollMove)
        case close
    }

    static let keymap = Keymap<Action>(
        ScrollMove.keymap.map(Action.scroll) + [
            Binding([.escape, .enter, .character("q"), .character("m")], .close, "close")
        ])

    /// The box in `area`, and the width its text is wrapped to.
    static func frame(in area: Rect, text: String) -> (box: Rect, textWidth: Int) {
        let width = min(area.width, 72)
        let textWidth = max(1, width - 4)
        let lines = wrap(text, width: textWidth).count
        return (area.centered(width: width, height: lines + 3), textWidth)
    }

    func render(into canvas: inout Canvas, area: Rect, look: Look) {
        let (box, textWidth) = MessageDialog.frame(in: area, text: text)
        let title =
            switch kind {
            case .error: "Error"
            case .warning: "Warning"
            case .success, .info: "Message"
            }
        let inside = canvas.box(box, title: title + "  (Esc closes)", look: look)
        guard inside.height >= 1, inside.width >= 1 else { return }
        let lines = MessageDialog.wrap(text, width: textWidth)
        let style = kind == .error ? look[.error] : kind == .warning ? look[.warning] : look[.text]
        let visible = max(0, inside.height - 1)
        for (row, line) in lines.dropFirst(scroll).prefix(visible).enumerated() {
            canvas.clipped(line, x: inside.x + 1, y: inside.y + row, width: inside.width - 2, style: style, look: look)
        }
        let more = scroll + visible < lines.count ? "\(look.glyphs.down) more (j) · " : ""
        canvas.clipped(
            more + "Esc closes", x: inside.x + 1, y: inside.maxY - 1, width: inside.width - 2,
            style: look[.muted], look: look)
    }

    /// Text wrapped at spaces to `width` columns; a word longer than a line
    /// (a URL, a path) is cut across lines rather than lost off the edge.
    static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var out: [String] = []
        var current = ""
        var used = 0
        func flush() {
            out.append(current)
            current = ""
            used = 0
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = TextWidth.of(word)
            if used > 0, used + 1 + w > width { flush() }
            if used > 0 {
                current += " "
                used += 1
            }
            for character in word {
                let cw = TextWidth.of(character)
                if used + cw > width, used > 0 { flush() }
                current.append(character)
                used += cw
            }
        }
        if used > 0 || out.isEmpty { flush() }
        return out
    }
}

extension MessageDialog: Room {
    var keymap: Keymap<Action> { MessageDialog.keymap }
    var isDialog: Bool { true }
    var title: String { "Message — keys" }

    mutating func perform(_ action: Action, _ desk: inout Desk) -> [Effect] {
        switch action {
        case .scroll(let move):
            let (box, textWidth) = MessageDialog.frame(in: desk.body, text: text)
            let lines = MessageDialog.wrap(text, width: textWidth).count
            scroll = move.scrolled(scroll, lines: lines, visible: max(1, box.height - 3))
        case .close:
            desk.close()
        }
        return []
    }

    func render(into canvas: inout Canvas, _ desk: Desk) { render(into: &canvas, area: desk.body, look: desk.look) }
}
