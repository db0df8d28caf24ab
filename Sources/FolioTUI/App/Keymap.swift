import FolioTerminal

/// One line of a screen's key table: the keys, what they do, and the short
/// word the status bar shows for them (when they matter enough). The same
/// table drives `update`, the help screen and the status bar, so the three
/// never disagree (tig's keys.c does the same).
public struct Binding<Action: Sendable & Equatable>: Sendable {
    public let keys: [Key]
    public let action: Action
    public let help: String
    public let hint: String?

    public init(_ keys: [Key], _ action: Action, _ help: String, hint: String? = nil) {
        self.keys = keys
        self.action = action
        self.help = help
        self.hint = hint
    }

    /// `↑ k`, `PgDn → ]`: how help writes the keys.
    public var keyLabel: String { keys.map(\.label).joined(separator: " ") }
}

public struct Keymap<Action: Sendable & Equatable>: Sendable {
    public let bindings: [Binding<Action>]
    public init(_ bindings: [Binding<Action>]) { self.bindings = bindings }

    public func action(for key: Key) -> Action? { bindings.first { $0.keys.contains(key) }?.action }

    /// The keys that matter most, for the status bar: `j/k move`.
    public var hints: [(keys: String, word: String)] {
        bindings.compactMap { b in
            b.hint.map { (keys: b.keys.prefix(2).map(\.label).joined(separator: "/"), word: $0) }
        }
    }

    public var helpLines: [HelpLine] { bindings.map { HelpLine(keys: $0.keyLabel, text: $0.help) } }
}
