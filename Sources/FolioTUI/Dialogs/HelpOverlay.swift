import FolioTerminal

public struct HelpLine: Sendable, Equatable {
    public let keys: String
    public let text: String
}

/// `?`: every key of the screen, from the screen's own key table.
public struct HelpState: Sendable, Equatable {
    public var title: String
    public var lines: [HelpLine]
    public var scroll = 0

    static let everywhere = [
        HelpLine(keys: "W", text: "writes of unknown outcome: see, look again, settle"),
        HelpLine(keys: "m", text: "the last message in full (when the status line cuts it)"),
        HelpLine(keys: "Ctrl-L", text: "redraw the screen"),
        HelpLine(keys: "Ctrl-C", text: "quit at once"),
        HelpLine(keys: "Ctrl-Z", text: "suspend (fg resumes)"),
    ]

    /// Scrolls; false when the key closes the help.
    mutating func handle(_ key: Key, visible: Int) -> Bool {
        let most = max(0, lines.count - visible)
        switch key {
        case .down, .character("j"): scroll = min(most, scroll + 1)
        case .up, .character("k"): scroll = max(0, scroll - 1)
        case .pageDown, .character(" "): scroll = min(most, scroll + visible)
        case .pageUp: scroll = max(0, scroll - visible)
        case .escape, .character("q"), .character("?"), .enter: return false
        default: break
        }
        return true
    }

    static func frame(in area: Rect, lines: Int) -> Rect { area.centered(width: 76, height: lines + 2) }

    func render(into canvas: inout Canvas, area: Rect, look: Look) {
        let inside = canvas.box(HelpState.frame(in: area, lines: lines.count), title: title + "  (Esc closes)", look: look)
        let keyWidth = min(max(8, lines.map { TextWidth.of($0.keys) }.max() ?? 8), inside.width / 3)
        for (row, line) in lines.dropFirst(scroll).prefix(inside.height).enumerated() {
            canvas.clipped(line.keys, x: inside.x + 1, y: inside.y + row, width: keyWidth, style: look[.accent], look: look)
            canvas.clipped(line.text, x: inside.x + keyWidth + 3, y: inside.y + row,
                           width: inside.width - keyWidth - 4, style: look[.text], look: look)
        }
    }
}
