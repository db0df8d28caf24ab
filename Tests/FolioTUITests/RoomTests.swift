import FolioCore
import FolioTerminal
import Testing

@testable import FolioTUI

/// The stack itself: rooms open and close, answers go only to the room that
/// asked, and a key that cannot act says why.
@Suite struct RoomTests {
    /// An invoice opened from the list, its detail not yet answered.
    static func opening() -> (state: AppState, request: Int) {
        var state = Fixtures.loaded()
        guard case .loadDetail(let request, _)? = state.press(.open, in: ListState.keymap).first else { fatalError("no load") }
        return (state, request)
    }

    @Test func anAnswerToAClosedRoomIsDropped() {
        var (state, request) = Self.opening()
        #expect(state.detail?.loading == request && state.isBusy)
        _ = state.press(.back, in: Pager.invoiceKeys)
        #expect(state.detail == nil && !state.isBusy)
        // The late answer opens nothing and says nothing.
        #expect(state.update(.detailLoaded(request: request, .failure(.server(status: 500, message: "late")))).isEmpty)
        #expect(state.detail == nil && state.message == nil && state.rooms.isEmpty)
    }

    @Test func anAnswerGoesToTheRoomThatAskedNotTheTopOne() {
        var (state, request) = Self.opening()
        // A dialog over the loading invoice: the invoice's answer still reaches the invoice.
        _ = state.press(GenericAction.help)
        #expect(state[HelpState.self] != nil)
        _ = state.update(.detailLoaded(request: request, .failure(.server(status: 500, message: "the store is down"))))
        #expect(state.detail?.loading == nil && state[HelpState.self] != nil)
        #expect(state.message?.text.contains("the store is down") == true)
    }

    @Test func escClosesTheTopRoomOnlyAndNeverQuits() {
        var (state, _) = Self.opening()
        _ = state.press(GenericAction.writes)
        _ = state.press(GenericAction.help)
        #expect(state.rooms.count == 3)
        for expected in [2, 1, 0, 0] {
            #expect(state.update(.key(.escape)).isEmpty, "Esc never quits")
            #expect(state.rooms.count == expected)
        }
    }

    @Test func keysThatCannotActSayWhy() {
        // The list before its first page: nothing to open or email.
        var empty = AppState(width: 80, height: 24, context: "shop", today: Fixtures.today)
        _ = empty.loadList(empty.list.query, landing: .first)
        #expect(empty.press(.open, in: ListState.keymap).isEmpty)
        #expect(empty.message?.text == "the invoices are still loading" && empty.rooms.isEmpty)
        // An invoice still loading: no email, no order, no create yet.
        var (state, _) = Self.opening()
        for action in [PagerAction.email, .order, .create] {
            #expect(state.press(action, in: Pager.invoiceKeys).isEmpty)
            #expect(state.message?.text == "the invoice is still loading", "\(action)")
            #expect(state.rooms.count == 1)
        }
        // The writes dialog with nothing open: nothing to settle.
        _ = state.press(GenericAction.writes)
        _ = state.press(.settle, in: WritesDialog.listKeys)
        #expect(state.message?.text == "no write is open: nothing to settle" && state[WritesDialog.self]?.note == nil)
    }

    /// A key no table binds does nothing and says nothing (a typo is not an error).
    @Test func anUnboundKeyChangesNothing() {
        var state = Fixtures.loaded()
        let before = state.render()
        #expect(state.update(.key(.function(7))).isEmpty)
        #expect(state.render() == before)
    }
}
