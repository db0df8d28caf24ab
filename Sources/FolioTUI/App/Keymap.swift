import FolioTerminal

/// One line of a room's key table: the keys, what they do, and the short
/// word the status bar shows for them (when they matter enough). The same
/// table drives `update`, the help screen, the status bar and the README's
/// key tables, so none of them can disagree (tig's keys.c does the same).
struct Binding<Action: Sendable & Equatable>: Sendable {
    let keys: [Key]
    let action: Action
    let help: String
    let hint: String?
    /// How the status bar writes the keys, when not the first two (`↑↓`).
    let hintKeys: String?

    init(_ keys: [Key], _ action: Action, _ help: String, hint: String? = nil, hintKeys: String? = nil) {
        self.keys = keys
        self.action = action
        self.help = help
        self.hint = hint
        self.hintKeys = hintKeys
    }

    /// `↑ k`, `PgDn → ]`: how help writes the keys.
    var keyLabel: String { keys.map(\.label).joined(separator: " ") }

    /// The same keys for another table's action (a shared layer inside a room's own table).
    func map<Other>(_ transform: (Action) -> Other) -> Binding<Other> {
        Binding<Other>(keys, transform(action), help, hint: hint, hintKeys: hintKeys)
    }
}

/// A status bar hint: `j/k move`.
struct Hint: Sendable, Equatable {
    let keys: String
    let word: String
}

struct Keymap<Action: Sendable & Equatable>: Sendable {
    let bindings: [Binding<Action>]
    init(_ bindings: [Binding<Action>]) { self.bindings = bindings }

    func action(for key: Key) -> Action? { bindings.first { $0.keys.contains(key) }?.action }

    /// The keys bound to an action (for tests and drivers that press actions by name).
    func keys(for action: Action) -> [Key] { bindings.first { $0.action == action }?.keys ?? [] }

    /// The keys that matter most, for the status bar.
    var hints: [Hint] {
        bindings.compactMap { b in
            b.hint.map { Hint(keys: b.hintKeys ?? b.keys.prefix(2).map(\.label).joined(separator: "/"), word: $0) }
        }
    }

    var helpLines: [HelpLine] { bindings.map { HelpLine(keys: $0.keyLabel, text: $0.help) } }

    /// This table's bindings for another table's actions (a shared layer).
    func map<Other>(_ transform: (Action) -> Other) -> [Binding<Other>] { bindings.map { $0.map(transform) } }
}

/// The keys every room falls back to (tig's `generic` keymap): what a room's
/// own table does not bind does this, on every screen and dialog. A text
/// field keeps its printable keys, so there `W`, `m`, `?` and `Q` are text.
enum GenericAction: Sendable, Equatable {
    case help, writes, message, back, cancel, quit, redraw, interrupt, suspend

    static let keymap = Keymap<GenericAction>([
        Binding([.character("?")], .help, "the keys of this screen", hint: "help"),
        Binding([.character("W")], .writes, "writes of unknown outcome: see, look again, settle"),
        Binding([.character("m")], .message, "the last message in full (when the status line cuts it)"),
        Binding([.character("q")], .back, "close this screen or dialog (on the list: quit)"),
        Binding([.escape], .cancel, "cancel: close this dialog or screen, stop a search; never quits"),
        Binding([.character("Q")], .quit, "quit Folio, from any screen"),
        Binding([.control("l")], .redraw, "redraw the screen"),
        Binding([.control("c")], .interrupt, "quit at once"),
        Binding([.control("z")], .suspend, "suspend (fg resumes)"),
    ])
}

/// The scrolling keys every pager and scrolling dialog shares.
enum ScrollMove: Sendable, Equatable {
    case up, down, pageUp, pageDown, top, bottom

    static let keymap = Keymap<ScrollMove>([
        Binding([.down, .character("j")], .down, "scroll down", hint: "scroll"),
        Binding([.up, .character("k")], .up, "scroll up"),
        Binding([.pageDown, .character(" ")], .pageDown, "a screen down"),
        Binding([.pageUp], .pageUp, "a screen up"),
        Binding([.home, .character("g")], .top, "to the top"),
        Binding([.end, .character("G")], .bottom, "to the bottom"),
    ])

    /// The first line shown after the move, within `lines` of content shown `visible` at a time.
    func scrolled(_ scroll: Int, lines: Int, visible: Int) -> Int {
        let page = max(1, visible - 1)
        let target =
            switch self {
            case .down: scroll + 1
            case .up: scroll - 1
            case .pageDown: scroll + page
            case .pageUp: scroll - page
            case .top: 0
            case .bottom: lines
            }
        return max(0, min(target, lines - visible))
    }
}
