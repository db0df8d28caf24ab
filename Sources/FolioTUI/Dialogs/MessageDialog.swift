import FolioTerminal

/// `m`: the last message whole, wrapped to the window. The status line has
/// one row, and an error (a store's long refusal, a path) can be longer than
/// the screen is wide; here every word of it can be read.
public struct MessageDialog: Sendable, Equatable {
    public var text: String
    public var kind: StatusMessage.Kind
    public var scroll = 0

    public init(_ message: StatusMessage) {
        text = message.text
        kind = message.kind
    }

    /// Scrolls; false when the key closes the dialog.
    mutating func handle(_ key: Key, visible: Int, lines: Int) -> Bool {
        let most = max(0, lines - visible)
        switch key {
        case .down, .character("j"): scroll = min(most, scroll + 1)
        case .up, .character("k"): scroll = max(0, scroll - 1)
        case .pageDown, .character(" "): scroll = min(most, scroll + max(1, visible))
        case .pageUp: scroll = max(0, scroll - max(1, visible))
        case .escape, .enter, .character("q"), .character("m"): return false
        default: break
        }
        return true
    }

    /// The box in `area`, and the width its text is wrapped to.
    static func frame(in area: Rect, text: String) -> (box: Rect, textWidth: Int) {
        let width = min(area.width, 72)
        let textWidth = max(1, width - 4)
        let lines = wrap(text, width: textWidth).count
        return (area.centered(width: width, height: lines + 3), textWidth)
    }

    func render(into canvas: inout Canvas, area: Rect, look: Look) {
        let (box, textWidth) = MessageDialog.frame(in: area, text: text)
        let title = switch kind {
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
        canvas.clipped(more + "Esc closes", x: inside.x + 1, y: inside.maxY - 1, width: inside.width - 2,
                       style: look[.muted], look: look)
    }

    /// Text wrapped at spaces to `width` columns; a word longer than a line
    /// (a URL, a path) is cut across lines rather than lost off the edge.
    static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var out: [String] = [], current = "", used = 0
        func flush() { out.append(current); current = ""; used = 0 }
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = TextWidth.of(word)
            if used > 0, used + 1 + w > width { flush() }
            if used > 0 { current += " "; used += 1 }
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

extension AppState {
    /// What `m` shows: the status line's message, else the create screen's problem.
    var fullMessage: StatusMessage? {
        if let message { return message }
        if let problem = create?.problem { return StatusMessage(.error, problem) }
        if let unknown = create?.unknown {
            return StatusMessage(.warning, "outcome unknown · ref \(unknown.reference) · \(unknown.reason) — the invoice may exist")
        }
        return writes.banner.map { StatusMessage(.warning, $0) }
    }

    /// `m` pressed: the message whole, or a word that there is none.
    mutating func showMessage() -> [Effect] {
        guard let shown = fullMessage else {
            message = StatusMessage(.info, "no message to show")
            return []
        }
        overlay = .message(MessageDialog(shown))
        return []
    }
}
