import FolioTerminal

/// A one-line text field: UTF-8 text, a cursor, the editing keys a shell
/// user expects (←/→, Home/End, Backspace, Del, Ctrl-A/E/U/K/W).
struct LineEditor: Sendable, Equatable {
    var prompt: String
    private(set) var characters: [Character]
    private(set) var cursor: Int
    var maxLength: Int

    init(prompt: String, text: String = "", maxLength: Int = 200) {
        self.prompt = prompt
        characters = Array(text)
        cursor = characters.count
        self.maxLength = maxLength
    }

    var text: String { String(characters) }

    /// The editing keys a shell user expects; a printable key is text.
    enum Edit: Sendable, Equatable { case left, right, start, end, deleteBack, deleteForward, clearToStart, clearToEnd, deleteWord }

    static let keymap = Keymap<Edit>([
        Binding([.left, .control("b")], .left, "(text) move left"),
        Binding([.right, .control("f")], .right, "(text) move right"),
        Binding([.home, .control("a")], .start, "(text) to the start"),
        Binding([.end, .control("e")], .end, "(text) to the end"),
        Binding([.backspace], .deleteBack, "(text) delete before the cursor"),
        Binding([.delete, .control("d")], .deleteForward, "(text) delete under the cursor"),
        Binding([.control("u")], .clearToStart, "(text) delete to the start"),
        Binding([.control("k")], .clearToEnd, "(text) delete to the end"),
        Binding([.control("w")], .deleteWord, "(text) delete the word before the cursor"),
    ])

    /// Applies an editing key; false when the key is not an editing key.
    mutating func handle(_ key: Key) -> Bool {
        if case .character(let c) = key {
            guard characters.count < maxLength else { return true }
            characters.insert(c, at: cursor)
            cursor += 1
            return true
        }
        guard let edit = LineEditor.keymap.action(for: key) else { return false }
        switch edit {
        case .deleteBack:
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case .deleteForward:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .start: cursor = 0
        case .end: cursor = characters.count
        case .clearToStart:
            characters.removeFirst(cursor)
            cursor = 0
        case .clearToEnd: characters.removeLast(characters.count - cursor)
        case .deleteWord:
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        }
        return true
    }

    /// Pasted text, kept on one line: newlines and tabs become spaces, other
    /// control characters are dropped, and what passes `maxLength` is cut.
    mutating func paste(_ text: String) {
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
    func draw(into canvas: inout Canvas, x: Int, y: Int, width: Int, style: Style, promptStyle: Style) -> (x: Int, y: Int) {
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
