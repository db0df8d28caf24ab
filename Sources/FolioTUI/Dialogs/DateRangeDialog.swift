import FolioCore
import FolioTerminal

/// `d`: the created-date filter. Presets count from today; or type the two
/// dates (YYYY-MM-DD). A bad date is named in the dialog, which stays open.
struct DateRangeDialog: Sendable, Equatable {
    enum Choice: String, CaseIterable, Sendable {
        case any = "any date"
        case today
        case last7 = "last 7 days"
        case thisMonth = "this month"
        case lastMonth = "last month"
        case typed = "from … to …"
    }

    let today: CivilDate
    var selected: Choice
    var from: LineEditor
    var to: LineEditor
    /// Which typed date takes the keys (when `typed` is selected).
    var editingTo = false
    var problem: String?

    init(today: CivilDate, from: DateBound?, to: DateBound?, label: String?) {
        self.today = today
        self.from = LineEditor(prompt: "from ", text: from?.text ?? "", maxLength: 10)
        self.to = LineEditor(prompt: "to ", text: to?.text ?? "", maxLength: 10)
        if let label, let choice = Choice(rawValue: label) {
            selected = choice
        } else {
            selected = from == nil && to == nil ? .any : .typed
        }
    }

    enum Outcome: Equatable {
        case stay, cancel
        /// The bounds to filter by (nil: none) and the preset's name for the header.
        case apply(from: DateBound?, to: DateBound?, label: String?)
    }

    /// The dates a preset stands for.
    func range(of choice: Choice) -> (CivilDate, CivilDate)? {
        switch choice {
        case .any, .typed: return nil
        case .today: return (today, today)
        case .last7: return (today.adding(days: -6), today)
        case .thisMonth: return (today.firstOfMonth, today)
        case .lastMonth:
            let previous = today.firstOfMonth.adding(days: -1)
            return (previous.firstOfMonth, previous)
        }
    }

    enum Action: Sendable, Equatable { case down, up, switchDate, apply, cancel }

    /// While a preset is chosen, letters move and close; once dates are typed, they are text.
    static let presetKeys = Keymap<Action>([
        Binding([.down, .character("j")], .down, "next preset"),
        Binding([.up, .character("k")], .up, "previous preset"),
        Binding([.tab, .backTab], .switchDate, "type the dates (digits and - type them too)"),
        Binding([.enter], .apply, "apply"),
        Binding([.escape, .character("q")], .cancel, "close, the dates as they were"),
    ])
    static let typedKeys = Keymap<Action>([
        Binding([.down], .down, "next preset"),
        Binding([.up], .up, "previous preset"),
        Binding([.tab, .backTab], .switchDate, "between from and to (YYYY-MM-DD)"),
        Binding([.enter], .apply, "apply (a date that does not exist is refused here)"),
        Binding([.escape], .cancel, "close, the dates as they were"),
    ])

    private mutating func apply() -> Outcome {
        if let (a, b) = range(of: selected) {
            return .apply(from: DateBound(a.description), to: DateBound(b.description), label: selected.rawValue)
        }
        guard selected == .typed else { return .apply(from: nil, to: nil, label: nil) }
        let fromText = from.text.trimmingCharacters(in: .whitespaces)
        let toText = to.text.trimmingCharacters(in: .whitespaces)
        let fromBound = fromText.isEmpty ? nil : DateBound(fromText)
        let toBound = toText.isEmpty ? nil : DateBound(toText)
        if !fromText.isEmpty, fromBound == nil || !fromBound!.isDateOnly {
            problem = "from: “\(fromText)” is not a date (YYYY-MM-DD)"
            editingTo = false
            return .stay
        }
        if !toText.isEmpty, toBound == nil || !toBound!.isDateOnly {
            problem = "to: “\(toText)” is not a date (YYYY-MM-DD)"
            editingTo = true
            return .stay
        }
        if let f = fromBound, let t = toBound, f.text > t.text {
            problem = "the range ends before it starts"
            return .stay
        }
        return .apply(from: fromBound, to: toBound, label: nil)
    }

    /// The presets, then the two typed dates and a line of keys (or the
    /// problem). On a short terminal the presets scroll to keep the chosen
    /// one in view, and the typed dates always show.
    func render(into canvas: inout Canvas, area: Rect, look: Look) {
        let choices = Choice.allCases
        let inside = canvas.box(area.centered(width: 48, height: choices.count + 5), title: "Created", look: look)
        guard inside.height >= 1 else { return }
        let note = inside.height >= 3 ? 1 : 0
        let gap = inside.height >= choices.count + 3 ? 1 : 0
        let room = max(0, inside.height - 1 - note - gap)
        let index = choices.firstIndex(of: selected) ?? 0
        let first = min(ListState.scrolledTop(top: 0, selected: index, visible: room), choices.count)
        for (row, choice) in choices[first..<max(first, min(choices.count, first + room))].enumerated() {
            let style = choice == selected ? look[.selection] : look[.text]
            canvas.fill(Rect(x: inside.x, y: inside.y + row, width: inside.width, height: 1), style: style)
            var label = " " + choice.rawValue
            if let (a, b) = range(of: choice) { label += a == b ? "  (\(a))" : "  (\(a) – \(b))" }
            canvas.clipped(label, x: inside.x, y: inside.y + row, width: inside.width, style: style, look: look)
        }
        let y = inside.y + min(room, choices.count) + gap
        guard y < inside.maxY else { return }
        let half = inside.width / 2
        let fromCursor = from.draw(into: &canvas, x: inside.x + 1, y: y, width: half - 1, style: look[.text], promptStyle: look[.muted])
        let toCursor = to.draw(
            into: &canvas, x: inside.x + half, y: y, width: inside.width - half - 1,
            style: look[.text], promptStyle: look[.muted])
        // The cursor belongs to the date being typed, and only then.
        canvas.cursor = selected == .typed ? (editingTo ? toCursor : fromCursor) : nil
        if let problem, y + 1 < inside.maxY {
            canvas.clipped(problem, x: inside.x + 1, y: y + 1, width: inside.width - 2, style: look[.error], look: look)
        } else if y + 1 < inside.maxY {
            canvas.clipped(
                "Enter applies · Tab switches · Esc cancels", x: inside.x + 1, y: y + 1, width: inside.width - 2,
                style: look[.muted], look: look)
        }
    }
}

extension DateRangeDialog: Room {
    var keymap: Keymap<Action> { selected == .typed ? DateRangeDialog.typedKeys : DateRangeDialog.presetKeys }
    var isDialog: Bool { true }
    var title: String { "Created — keys" }
    var takesText: Bool { selected == .typed }

    /// A digit, `-` or a deleting key types a date (choosing "from … to …");
    /// moving the cursor, Ctrl-L and the like leave a chosen preset alone.
    mutating func type(_ key: Key) -> Bool {
        if selected != .typed {
            switch (key, LineEditor.keymap.action(for: key)) {
            case (.character(let c), _) where c.isNumber || c == "-": break
            case (_, .deleteBack?), (_, .deleteForward?), (_, .clearToStart?), (_, .clearToEnd?), (_, .deleteWord?): break
            default: return false
            }
        }
        var field = editingTo ? to : from
        guard field.handle(key) else { return false }
        if editingTo { to = field } else { from = field }
        selected = .typed
        problem = nil
        return true
    }

    mutating func paste(_ text: String) -> Bool {
        selected = .typed
        problem = nil
        if editingTo { to.paste(text) } else { from.paste(text) }
        return true
    }

    mutating func perform(_ action: Action, _ desk: inout Desk) -> [Effect] {
        let choices = Choice.allCases
        let index = choices.firstIndex(of: selected) ?? 0
        switch action {
        case .down: selected = choices[min(choices.count - 1, index + 1)]
        case .up: selected = choices[max(0, index - 1)]
        case .switchDate:
            if selected == .typed {
                editingTo.toggle()
            } else {
                selected = .typed
                editingTo = false
            }
        case .cancel: desk.close()
        case .apply:
            guard case .apply(let from, let to, let label) = apply() else { return [] }
            desk.close()
            desk.filter(.created(from: from, to: to, label: label))
        }
        return []
    }

    func render(into canvas: inout Canvas, _ desk: Desk) { render(into: &canvas, area: desk.body, look: desk.look) }
}
