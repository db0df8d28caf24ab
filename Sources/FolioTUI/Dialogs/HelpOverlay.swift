import FolioTerminal

struct HelpLine: Sendable, Equatable {
    let keys: String
    let text: String
}

/// `?`: every key of the screen, from the screen's own key table and the generic one.
struct HelpState: Sendable, Equatable {
    var title: String
    var lines: [HelpLine]
    var scroll = 0

    enum Action: Sendable, Equatable {
        case scroll(ScrollMove)
        case close
    }

    static let keymap = Keymap<Action>(
        ScrollMove.keymap.map(Action.scroll) + [
            Binding([.escape, .character("q"), .character("?"), .enter], .close, "close the help")
        ])

    static func frame(in area: Rect, lines: Int) -> Rect { area.centered(width: 76, height: lines + 2) }

    func render(into canvas: inout Canvas, area: Rect, look: Look) {
        let inside = canvas.box(HelpState.frame(in: area, lines: lines.count), title: title + "  (Esc closes)", look: look)
        let keyWidth = min(max(8, lines.map { TextWidth.of($0.keys) }.max() ?? 8), inside.width / 3)
        for (row, line) in lines.dropFirst(scroll).prefix(inside.height).enumerated() {
            canvas.clipped(line.keys, x: inside.x + 1, y: inside.y + row, width: keyWidth, style: look[.accent], look: look)
            canvas.clipped(
                line.text, x: inside.x + keyWidth + 3, y: inside.y + row,
                width: inside.width - keyWidth - 4, style: look[.text], look: look)
        }
    }
}

extension HelpState: Room {
    var keymap: Keymap<Action> { HelpState.keymap }
    var isDialog: Bool { true }

    mutating func perform(_ action: Action, _ desk: inout Desk) -> [Effect] {
        switch action {
        case .scroll(let move):
            let visible = HelpState.frame(in: desk.body, lines: lines.count).height - 2
            scroll = move.scrolled(scroll, lines: lines.count, visible: visible)
        case .close:
            desk.close()
        }
        return []
    }

    func render(into canvas: inout Canvas, _ desk: Desk) { render(into: &canvas, area: desk.body, look: desk.look) }
}
