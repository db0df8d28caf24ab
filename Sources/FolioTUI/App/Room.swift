import FolioCore
import FolioTerminal
import Foundation

/// One screen or dialog: a value on the stack with its own state, key
/// table, update, answers and drawing (lazygit's contexts, k9s's pages,
/// bubbletea's nested models). The list is the home room at the bottom;
/// `Enter` pushes an invoice, `o` its order, `c` the create screen, `/` a
/// prompt, `e` a dialog; `q` or `Esc` pops the top one.
///
/// A room sees the rest of the program only through its `Desk`; answers to
/// the requests it made come back to it alone, as events, and are dropped
/// when it has been closed.
protocol Room: Sendable {
    associatedtype Action: Sendable & Equatable

    /// The keys it answers to now (a room with stages or a focus may switch
    /// tables); keys it does not bind fall to the generic layer.
    var keymap: Keymap<Action> { get }
    /// Why an action bound to a key cannot act now ("no invoice selected"):
    /// said on the status line instead of doing nothing.
    func unavailable(_ action: Action, _ desk: Desk) -> String?
    mutating func perform(_ action: Action, _ desk: inout Desk) -> [Effect]

    /// Whether a text field has the keys: printable keys its table does
    /// not bind are typed, and the generic letter keys (`W`, `m`, `?`, `Q`) stay off.
    var takesText: Bool { get }
    /// A key its table does not bind: false when it is not text for a field here.
    mutating func type(_ key: Key) -> Bool
    /// Pasted text for the field with the cursor; false when none has it.
    mutating func paste(_ text: String) -> Bool

    /// Called once, when pushed: the first requests (a load).
    mutating func opened(_ desk: inout Desk) -> [Effect]
    /// The answer to one of this room's requests.
    mutating func receive(_ event: Event, _ desk: inout Desk) -> [Effect]
    /// Something happened elsewhere that this room may show.
    mutating func notice(_ notice: Notice, _ desk: inout Desk) -> [Effect]
    /// The terminal's size changed (lay the content out again).
    mutating func resized(_ desk: Desk)
    /// A click or the wheel, when this room is on top.
    mutating func point(_ mouse: Mouse, _ desk: inout Desk) -> [Effect]

    /// Dialogs are drawn over the room beneath; screens fill the body.
    var isDialog: Bool { get }
    /// The help title: "Invoices — keys".
    var title: String { get }
    /// What it waits for ("loading", "sending"), for the spinner; nil when idle.
    var waiting: String? { get }
    /// Whether a write of this room is out now (its journal entry is open and in flight).
    var isSending: Bool { get }
    /// Its own problem line, for `m` when the status line has none.
    var standing: StatusMessage? { get }
    func render(into canvas: inout Canvas, _ desk: Desk)
    /// Draws the status line itself (a prompt being typed); false to leave it to the stack.
    func statusLine(into canvas: inout Canvas, area: Rect, _ desk: Desk) -> Bool
}

extension Room {
    func unavailable(_ action: Action, _ desk: Desk) -> String? { nil }
    var takesText: Bool { false }
    mutating func type(_ key: Key) -> Bool { false }
    mutating func paste(_ text: String) -> Bool { false }
    mutating func opened(_ desk: inout Desk) -> [Effect] { [] }
    mutating func receive(_ event: Event, _ desk: inout Desk) -> [Effect] { [] }
    mutating func notice(_ notice: Notice, _ desk: inout Desk) -> [Effect] { [] }
    mutating func resized(_ desk: Desk) {}
    mutating func point(_ mouse: Mouse, _ desk: inout Desk) -> [Effect] { [] }
    var isDialog: Bool { false }
    var waiting: String? { nil }
    var isSending: Bool { false }
    var standing: StatusMessage? { nil }
    func statusLine(into canvas: inout Canvas, area: Rect, _ desk: Desk) -> Bool { false }

    /// A key: the room's table, then its text field, else not taken (the
    /// generic layer has it next).
    mutating func press(_ key: Key, _ desk: inout Desk) -> [Effect]? {
        desk.key = key
        if let action = keymap.action(for: key) {
            if let why = unavailable(action, desk) {
                desk.message = StatusMessage(.info, why)
                return []
            }
            return perform(action, &desk)
        }
        if type(key) { return [] }
        return nil
    }

    /// The help lines: this room's table, then the keys that work everywhere.
    /// Generic keys the room's own table binds are left out (they do what the room says).
    var helpLines: [HelpLine] {
        let own = Set(keymap.bindings.flatMap(\.keys))
        // In a text field the printable generic keys are text; the others still act.
        let generic = GenericAction.keymap.bindings.filter { b in
            !b.keys.allSatisfy(own.contains) && !(takesText && b.keys.contains(where: \.isText))
        }
        return keymap.helpLines + (takesText ? LineEditor.keymap.helpLines : [])
            + generic.map { HelpLine(keys: $0.keyLabel, text: $0.help) }
    }
    var hints: [Hint] { keymap.hints }
}

/// News from one room for the others (answers go only to the room that asked).
enum Notice: Sendable, Equatable {
    /// The list's selection moved (`n`/`p` on an invoice): show the new one.
    case selectionMoved
    /// This invoice changed on the store (an email was resent).
    case invoiceChanged(id: Int64)
    /// The open writes changed (a check came back).
    case writesChanged
    /// A write of unknown outcome was found done.
    case writeFound(reference: String)
}

/// What the list's dialogs hand it: a number to look up, a sort, a date range.
enum ListFilter: Sendable, Equatable {
    case search(String)
    case sort(InvoiceQuery.SortField)
    case created(from: DateBound?, to: DateBound?, label: String?)
}

/// What a room may touch besides itself: the message line, request
/// numbers, the list's selection (read), the open writes (read), and
/// requests to the stack (open a room, close this one, reload the list…).
struct Desk: Sendable {
    let width: Int
    let height: Int
    let look: Look
    let today: CivilDate
    /// The profile, or "demo": the header's first word.
    let profile: String
    /// The list's selected invoice and where it sits, for a room over the list.
    let selection: Selection
    let writes: PendingWrites
    /// Whether a room has a write out now.
    let sending: Bool
    /// The time, once per key or answer.
    let now: Date
    let resendWindow: Duration
    let clerk: String
    var message: StatusMessage?
    /// The key being handled (a table may bind a range: the digits of a quantity).
    var key: Key?
    private(set) var lastRequest: Int
    /// Requests numbered while this room had the desk (their answers come back to it).
    private(set) var claimed: [Int] = []
    /// What the stack is asked to do once the room returns.
    private(set) var orders: [Order] = []

    struct Selection: Sendable, Equatable {
        var invoice: InvoiceSummary?
        var index: Int
        var count: Int
        var page: Int
    }

    enum Order: Sendable {
        case push(any Room)
        case close
        case reloadList
        /// Move the list's selection (and turn its page): `n`/`p` on an invoice.
        case step(forward: Bool)
        case checkWrites(restart: Bool)
        case settle(OperationReference, note: String)
        case tell(Notice)
        /// A dialog of the list's (search, sort, dates) hands it what was chosen.
        case filter(ListFilter)
    }

    init(state: AppState) {
        width = state.width
        height = state.height
        look = state.look
        today = state.today
        profile = state.context
        selection = Selection(
            invoice: state.list.selectedInvoice, index: state.list.selected, count: state.list.rows.count,
            page: state.list.page)
        writes = state.writes
        sending = state.rooms.contains { $0.room.isSending }
        now = state.now()
        resendWindow = state.resendWindow
        clerk = state.clerk
        message = state.message
        lastRequest = state.lastRequest
    }

    /// A new request number; its answer comes back to the room that asked.
    mutating func request() -> Int {
        lastRequest += 1
        claimed.append(lastRequest)
        return lastRequest
    }

    mutating func push(_ room: any Room) { orders.append(.push(room)) }
    /// Closes the room that has the desk.
    mutating func close() { orders.append(.close) }
    mutating func reloadList() { orders.append(.reloadList) }
    mutating func step(forward: Bool) { orders.append(.step(forward: forward)) }
    /// Looks for the open writes now; `restart` replaces a check in flight.
    mutating func checkWrites(restart: Bool = false) { orders.append(.checkWrites(restart: restart)) }
    mutating func settle(_ reference: OperationReference, note: String) { orders.append(.settle(reference, note: note)) }
    mutating func tell(_ notice: Notice) { orders.append(.tell(notice)) }
    mutating func filter(_ change: ListFilter) { orders.append(.filter(change)) }

    var layout: ScreenLayout { ScreenLayout(width: width, height: height) }
    /// Between the header and the status bar.
    var body: Rect { layout.body }
}

extension Key {
    /// A printable key: text in a text field.
    var isText: Bool { if case .character = self { true } else { false } }
}
