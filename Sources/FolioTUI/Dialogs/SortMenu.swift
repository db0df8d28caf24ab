import FolioCore
import FolioTerminal

/// `o`: pick the column the server sorts by (the direction stays; `r` flips it).
public struct SortMenu: Sendable, Equatable {
    public static let fields = InvoiceQuery.SortField.allCases
    public var selected: Int

    public init(current: InvoiceQuery.SortField) {
        selected = SortMenu.fields.firstIndex(of: current) ?? 0
    }

    public enum Outcome: Equatable { case stay, cancel, choose(InvoiceQuery.SortField) }

    mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .down, .character("j"): selected = (selected + 1) % SortMenu.fields.count
        case .up, .character("k"): selected = (selected + SortMenu.fields.count - 1) % SortMenu.fields.count
        case .enter, .character(" "): return .choose(SortMenu.fields[selected])
        case .escape, .character("q"), .character("o"): return .cancel
        default: break
        }
        return .stay
    }

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
