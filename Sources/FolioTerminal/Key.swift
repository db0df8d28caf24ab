/// A key as Folio's screens see it, whatever the terminal sent for it.
public enum Key: Hashable, Sendable {
    /// Printable text: a letter, a digit, a CJK character, an emoji.
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, backspace, delete, insert, tab, backTab, escape
    case function(Int)
    /// Ctrl with a letter (`.control("u")` is Ctrl-U); Tab, Enter and
    /// Backspace arrive as themselves, not as Ctrl-I, Ctrl-M, Ctrl-H.
    case control(Character)

    /// How the help screen and the status bar write the key.
    public var label: String {
        switch self {
        case .character(" "): return "space"
        case .character(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .escape: return "Esc"
        case .function(let n): return "F\(n)"
        case .control(let c): return "Ctrl-\(String(c).uppercased())"
        }
    }

    /// The key a control byte stands for (0x01…0x1F and DEL).
    public static func control(byte: UInt32) -> Key? {
        switch byte {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(byte + 96)!))
        default: return nil
        }
    }
}

/// A mouse action, when the mouse is switched on (`--mouse`).
public struct Mouse: Hashable, Sendable {
    public enum Action: Hashable, Sendable { case click, wheelUp, wheelDown }
    public let action: Action
    public let x: Int
    public let y: Int
    public init(_ action: Action, x: Int, y: Int) {
        self.action = action
        self.x = x
        self.y = y
    }
}

/// What the terminal reports: a key, a mouse action, a new size, or pasted text.
public enum TerminalEvent: Hashable, Sendable {
    case key(Key)
    case mouse(Mouse)
    case resize(width: Int, height: Int)
    /// Text the terminal marked as pasted (bracketed paste): it is text,
    /// never keys, so a pasted newline cannot press Enter.
    case paste(String)
}
