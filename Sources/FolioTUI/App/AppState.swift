import FolioCore
import FolioTerminal
import Foundation

/// The whole program as a value: the stack of rooms over the list, the
/// message line, the open writes. `update` changes it; `render` draws it.
public struct AppState: Sendable {
    var width: Int
    var height: Int
    var look: Look
    /// Shown at the left of the header: the profile, or "demo".
    var context: String
    /// Today, in the user's calendar: the date presets count from it.
    var today: CivilDate
    /// The home room, always at the bottom of the stack.
    var list: ListState
    /// The rooms over the list, the top one last: it has the keys.
    var rooms: [Stacked] = []
    /// Writes of unknown outcome, kept in view on every screen until settled.
    var writes = PendingWrites()
    /// One line at the bottom: what just happened, or what went wrong.
    var message: StatusMessage?
    var spinner = 0
    /// Numbers requests, so that a late answer to an old one is recognised.
    var lastRequest = 0
    /// Which room asked each request still out (the list's are not kept: it owns the rest).
    var owners: [Int: Int] = [:]
    /// Requests of rooms closed since they asked: their answers are dropped unread.
    var dropped: Set<Int> = []
    /// The room that asked the list to turn its page and show the new selection when it comes.
    var followsSelection: Int?
    /// A resend of one invoice within this long asks for a reason.
    var resendWindow: Duration = ResendPolicy.defaultWindow
    /// Who the clerk is, for the notes Folio leaves in an order's history.
    var clerk = ResendPolicy.clerk()
    /// The clock (a test sets it).
    var now: @Sendable () -> Date = { Date() }
    private var lastRoomID = 0

    public init(
        width: Int, height: Int, look: Look = Look(), context: String, today: CivilDate, pageSize: Int = 50,
        resendWindow: Duration = ResendPolicy.defaultWindow
    ) {
        self.resendWindow = resendWindow
        self.width = width
        self.height = height
        self.look = look
        self.context = context
        self.today = today
        list = ListState(pageSize: pageSize)
    }

    /// A room on the stack, known by a number that no other room gets.
    struct Stacked: Sendable {
        let id: Int
        var room: any Room
    }

    /// The list's number on the stack.
    static let home = 0

    /// Whether anything is waiting on the network (the spinner turns).
    var isBusy: Bool { list.waiting != nil || rooms.contains { $0.room.waiting != nil } }

    /// The room that has the keys.
    var top: any Room { rooms.last?.room ?? list }
    /// Whether the room with the keys is typing text (asked without boxing the list: it never is).
    var topTakesText: Bool { rooms.last?.room.takesText ?? false }
    var topIsDialog: Bool { rooms.last?.room.isDialog ?? false }

    /// The smallest terminal the screens are laid out for.
    static let minimumSize = (width: 30, height: 8)

    var isTooSmall: Bool { width < AppState.minimumSize.width || height < AppState.minimumSize.height }

    var layout: ScreenLayout { ScreenLayout(width: width, height: height) }
    /// The screen between the header and the status bar.
    var bodyArea: Rect { layout.body }

    // MARK: - Rooms by type (the tests and the stack's own orders use these)

    /// The top-most room of a type, read or replaced in place.
    subscript<R: Room>(_ type: R.Type) -> R? {
        get { rooms.last { $0.room is R }?.room as? R }
        set { replace(where: { $0 is R }, with: newValue) }
    }

    /// The open invoice (the top-most invoice pager).
    var detail: Pager? {
        get { rooms.last { ($0.room as? Pager)?.source.isInvoice == true }?.room as? Pager }
        set { replace(where: { ($0 as? Pager)?.source.isInvoice == true }, with: newValue) }
    }
    /// The read-only order view (the top-most order pager).
    var order: Pager? {
        get { rooms.last { ($0.room as? Pager)?.source.isInvoice == false }?.room as? Pager }
        set { replace(where: { ($0 as? Pager)?.source.isInvoice == false }, with: newValue) }
    }
    var create: CreateState? {
        get { self[CreateState.self] }
        set { self[CreateState.self] = newValue }
    }
    var refund: RefundState? {
        get { self[RefundState.self] }
        set { self[RefundState.self] = newValue }
    }
    /// The dialog on top, if the top room is one.
    var dialog: (any Room)? { rooms.last.flatMap { $0.room.isDialog ? $0.room : nil } }

    private mutating func replace(where matches: (any Room) -> Bool, with room: (any Room)?) {
        guard let index = rooms.lastIndex(where: { matches($0.room) }) else { return }
        if let room { rooms[index].room = room } else { rooms.remove(at: index) }
    }

    mutating func nextRoomID() -> Int {
        lastRoomID += 1
        return lastRoomID
    }
}

/// How things are drawn: the theme's styles and the characters the locale can show.
public struct Look: Sendable {
    var theme: Theme
    var glyphs: Glyphs
    public init(theme: Theme = .standard, glyphs: Glyphs = .unicode) {
        self.theme = theme
        self.glyphs = glyphs
    }
    subscript(slot: Theme.Slot) -> Style { theme[slot] }
}

struct StatusMessage: Sendable, Equatable {
    enum Kind: Sendable { case info, success, warning, error }
    var kind: Kind
    var text: String
    init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }
}
