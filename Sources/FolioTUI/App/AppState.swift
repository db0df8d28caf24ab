import Foundation
import FolioCore
import FolioTerminal

/// The whole program as a value: what is on screen, what is loading, what
/// the last message was. `update` changes it; `render` draws it.
public struct AppState: Sendable {
    public var width: Int
    public var height: Int
    public var look: Look
    /// Shown at the left of the header: the profile, or "demo".
    public var context: String
    /// Today, in the user's calendar: the date presets count from it.
    public var today: CivilDate
    public var list: ListState
    /// The invoice open over the list, if one is.
    public var detail: DetailState?
    /// The order of the open invoice, read-only, over the detail.
    public var order: OrderViewState?
    /// The create screen, over everything else while it is open.
    public var create: CreateState?
    /// Writes of unknown outcome, kept in view on every screen until settled.
    public var writes = PendingWrites()
    /// A dialog or menu over the screen; it takes the keys while open.
    public var overlay: Overlay?
    /// One line at the bottom: what just happened, or what went wrong.
    public var message: StatusMessage?
    public var spinner = 0
    /// Numbers requests, so that a late answer to an old one is recognised.
    public var lastRequest = 0

    public init(width: Int, height: Int, look: Look = Look(), context: String, today: CivilDate, pageSize: Int = 50) {
        self.width = width
        self.height = height
        self.look = look
        self.context = context
        self.today = today
        list = ListState(pageSize: pageSize)
    }

    /// Whether anything is waiting on the network (the spinner turns).
    public var isBusy: Bool {
        if case .email(let dialog)? = overlay, dialog.sending != nil { return true }
        switch create?.stage {
        case .loadingOrder?, .sending?: return true
        default: break
        }
        return list.loading != nil || list.searching != nil || detail?.loading != nil || order?.loading != nil
    }

    mutating func nextRequest() -> Int {
        lastRequest += 1
        return lastRequest
    }

    /// The smallest terminal the screens are laid out for.
    public static let minimumSize = (width: 30, height: 8)
}

/// How things are drawn: the theme's styles and the characters the locale can show.
public struct Look: Sendable {
    public var theme: Theme
    public var glyphs: Glyphs
    public init(theme: Theme = .standard, glyphs: Glyphs = .unicode) {
        self.theme = theme
        self.glyphs = glyphs
    }
    public subscript(slot: Theme.Slot) -> Style { theme[slot] }
}

public struct StatusMessage: Sendable, Equatable {
    public enum Kind: Sendable { case info, success, warning, error }
    public var kind: Kind
    public var text: String
    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }
}

/// What can sit over a screen.
public enum Overlay: Sendable {
    case help(HelpState)
    case search(LineEditor)
    case dateRange(DateRangeDialog)
    case sort(SortMenu)
    case email(EmailDialog)
    case writes(WritesDialog)
    case message(MessageDialog)
}
