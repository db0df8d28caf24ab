import FolioCore
import FolioTerminal

/// `/`: a number, an email address or part of a name, typed on the status
/// line. Enter hands it to the list, which asks the store what it is; Esc
/// leaves the list as it was.
struct SearchPrompt: Sendable, Equatable {
    var editor = LineEditor(prompt: "number, email or name: ", maxLength: SearchTerm.room)

    enum Action: Sendable, Equatable { case submit, cancel }

    static let keymap = Keymap<Action>([
        Binding([.enter], .submit, "look it up: a number, an email address (that customer's invoices) or part of a bill-to name"),
        Binding([.escape], .cancel, "close the prompt, the list as it was"),
    ])
}

extension SearchPrompt: Room {
    var keymap: Keymap<Action> { SearchPrompt.keymap }
    var isDialog: Bool { true }
    var title: String { "Search — keys" }
    var takesText: Bool { true }

    mutating func type(_ key: Key) -> Bool { editor.handle(key) }
    mutating func paste(_ text: String) -> Bool {
        editor.paste(text)
        return true
    }

    mutating func perform(_ action: Action, _ desk: inout Desk) -> [Effect] {
        desk.close()
        if action == .submit { desk.filter(.search(editor.text)) }
        return []
    }

    /// Nothing over the list: the prompt is on the status line.
    func render(into canvas: inout Canvas, _ desk: Desk) {}

    func statusLine(into canvas: inout Canvas, area: Rect, _ desk: Desk) -> Bool {
        let bar = desk.look[.statusBar]
        canvas.cursor = editor.draw(into: &canvas, x: area.x, y: area.y, width: area.width, style: bar, promptStyle: bar)
        return true
    }
}
