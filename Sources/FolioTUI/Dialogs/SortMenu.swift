import FolioCore
import FolioTerminal

/// `o`: pick the column the server sorts by (the direction stays; `r` flips it).
struct SortMenu: Sendable, Equatable {
    static let fields = InvoiceQuery.SortField.allCases
    var selected: Int

    init(current: InvoiceQuery.SortField) {
        selected = SortMenu.fields.firstIndex(of: current) ?? 0
    }

    enum Action: Sendable, Equatable { case down, up, choose, close }

    static let keymap = Keymap<Action>([
        Binding([.down, .character("j")], .down, "next column"),
        Binding([.up, .character("k")], .up, "previous column"),
        Binding([.enter, .character(" ")], .choose, "sort by it"),
        Binding([.escape, .character("q"), .character("o")], .close, "close, the sort as it was"),
    ])

    func render(into canvas: inout Canvas, area: Rect, look: Look) {
        let inside = canvas.box(area.centered(width: 30, height: SortMenu.fields.count + 2), title: "Sort by", look: look)
        // A short terminal scrolls the list to keep the chosen column in view.
        let first = ListState.scrolledTop(top: 0, selected: selected, visible: inside.height)
        for (row, field) in SortMenu.fields.dropFirst(first).enumerated() where row < inside.height {
            let style = row + first == selected ? look[.selection] : look[.text]
            canvas.fill(Rect(x: inside.x, y: inside.y + row, width: inside.width, height: 1), style: style)
            canvas.clipped(" " + field.label, x: inside.x, y: inside.y + row, width: inside.width, style: style, look: look)
        }
    }
}

extension SortMenu: Room {
    var keymap: Keymap<Action> { SortMenu.keymap }
    var isDialog: Bool { true }
    var title: String { "Sort — keys" }

    mutating func perform(_ action: Action, _ desk: inout Desk) -> [Effect] {
        let count = SortMenu.fields.count
        switch action {
        case .down: selected = (selected + 1) % count
        case .up: selected = (selected + count - 1) % count
        case .choose:
            desk.close()
            desk.filter(.sort(SortMenu.fields[selected]))
        case .close: desk.close()
        }
        return []
    }

    func render(into canvas: inout Canvas, _ desk: Desk) { render(into: &canvas, area: desk.body, look: desk.look) }
}
