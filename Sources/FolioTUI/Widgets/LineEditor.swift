import FolioTerminal

/// A one-line text field: UTF-8 text, a cursor, the editing keys a shell
/// user expects (←/→, Home/End, Backspace, Del, Ctrl-A/E/U/K/W).
public struct LineEditor: Sendable, Equatable {
    public var prompt: String
    public private(set) var characters: [Character]
    public private(set) var cursor: Int
    public var maxLength: Int

    public init(prompt: String, text: String = "", maxLength: Int = 200) {
        self.prompt = prompt
        characters = Array(text)
        cursor = characters.count
        self.maxLength = maxLength
    }

    public var text: String { String(characters) }

    /// Applies an editing key; false when the key is not an editing key.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c):
            guard characters.count < maxLength else { return true }
            characters.insert(c, at: cursor)
            cursor += 1
        case .backspace:
            if cursor > 0 { characters.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .control("d"):
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left, .control("b"): cursor = max(0, cursor - 1)
        case .right, .control("f"): cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .control("u"):
            characters.removeFirst(cursor)
            cursor = 0
        case .control("k"): characters.removeLast(characters.count - cursor)
        case .control("w"):
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        return true
    }

    /// Pasted text, kept on one line: newlines and tabs become spaces, other
    /// control characters are dropped, and what passes `maxLength` is cut.
    public mutating func paste(_ text: String) {
        for character in text {
            let c: Character
            if character == "\n" || character == "\r" || character == "\r\n" || character == "\t" {
                c = " "
            } else if character.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                continue
            } else {
                c = character
            }
            guard characters.count < maxLength else { return }
            characters.insert(c, at: cursor)
            cursor += 1
        }
    }

    /// Draws prompt and text in `width` columns, scrolled so the cursor shows;
    /// returns where the terminal's cursor belongs.
    @discardableResult
    public func draw(into canvas: inout Canvas, x: Int, y: Int, width: Int, style: Style, promptStyle: Style) -> (x: Int, y: Int) {
        canvas.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
        let used = canvas.text(prompt, x: x, y: y, style: promptStyle, limit: width)
        let room = width - used - 1
        guard room > 0 else { return (x: x + used, y: y) }
        // Scroll: keep the cursor inside the field.
        var start = 0
        while TextWidth.of(String(characters[start..<cursor])) > room - 1, start < cursor { start += 1 }
        let shown = String(characters[start...])
        canvas.text(shown, x: x + used, y: y, style: style, limit: room)
        return (x: x + used + TextWidth.of(String(characters[start..<cursor])), y: y)
    }
}
