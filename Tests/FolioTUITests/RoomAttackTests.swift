import FolioCore
import FolioTerminal
import Foundation
import Testing

@testable import FolioTUI

/// Sequences a review of the stack found wrong, each pinned by a test.
@Suite struct RoomAttackTests {
    /// Three open writes in a fresh journal, as a check would report them.
    static func openWrites() throws -> [JournalEntry] {
        let journal = Fixtures.journal()
        for n in 0..<3 {
            let intent = JournalEntry.Intent(
                kind: .invoiceCreate, profile: "test", orderNumber: "10000012\(n)",
                summary: ["create", "order 10000012\(n)"], body: "{}")
            try journal.begin(intent, reference: .make())
        }
        return try journal.openEntries()
    }

    /// The settle note is for the write it was opened on: a check that finds
    /// another write meanwhile neither moves the note nor settles a write nobody checked.
    @Test func theSettleNoteStaysWithItsWrite() throws {
        let open = try Self.openWrites()
        var state = Fixtures.loaded()
        guard case .checkWrites(let first, _)? = state.press(GenericAction.writes).first else {
            Issue.record("no check")
            return
        }
        _ = state.update(.writesChecked(request: first, .success(open)))
        _ = state.press(.down, in: WritesDialog.listKeys)
        _ = state.press(.settle, in: WritesDialog.listKeys)
        for c in "saw it on the store" { _ = state.update(.key(.character(c))) }
        // Meanwhile the first write is found done: the list shrinks under the note.
        var found = open[0]
        found.status = .done
        let check = try #require(state.writes.checking, "a next check is due while writes are open")
        _ = state.update(.writesChecked(request: check, .success([found, open[1], open[2]])))
        #expect(state[WritesDialog.self]?.selected == 0, "the same write (the second) stays chosen, now first")
        let effects = state.press(.saveNote, in: WritesDialog.noteKeys)
        guard case .settleWrite(_, let reference, let note)? = effects.first else {
            Issue.record("nothing settled")
            return
        }
        #expect(reference == open[1].reference && note == "saw it on the store")
        // The write the note was for is found before Enter: nothing is settled.
        _ = state.press(.settle, in: WritesDialog.listKeys)
        for c in "x" { _ = state.update(.key(.character(c))) }
        var second = open[1]
        second.status = .done
        let again = try #require(state.writes.checking)
        _ = state.update(.writesChecked(request: again, .success([second, open[2]])))
        #expect(!state.press(.saveNote, in: WritesDialog.noteKeys).contains { if case .settleWrite = $0 { true } else { false } })
        #expect(state.message?.text == "that write was found meanwhile — nothing settled")
    }

    /// `n` at the edge of a page turns it once: `n` or `p` pressed while it
    /// turns wait for it (a second `n` once asked for the page after), and the
    /// invoice shown is the first of the page that comes.
    @Test func keysWhileThePageTurnsWaitForIt() {
        var state = Fixtures.loaded()
        state.list.selected = state.list.rows.count - 2
        guard case .loadDetail? = state.press(.open, in: ListState.keymap).first else {
            Issue.record("no open")
            return
        }
        _ = state.press(.next, in: Pager.invoiceKeys)  // to the last row of the page
        guard let turn = Fixtures.loadRequest(state.press(.next, in: Pager.invoiceKeys)) else {
            Issue.record("no turn")
            return
        }
        #expect(turn.query.page == 2)
        for action in [PagerAction.next, .previous] {
            #expect(state.press(action, in: Pager.invoiceKeys).isEmpty && state.message?.text == "turning the page…")
        }
        #expect(state.list.loading?.request == turn.request)
        let next = state.update(.pageLoaded(request: turn.request, .success(Fixtures.page(2, of: 4))))
        #expect(next == [.loadDetail(request: state.lastRequest, id: state.list.rows[0].id)])
        #expect(state.list.page == 2 && state.detail?.number == state.list.rows[0].incrementId)
        // Inside the page, n and p act at once again.
        guard case .loadDetail(_, let id)? = state.press(.next, in: Pager.invoiceKeys).first else {
            Issue.record("no n")
            return
        }
        #expect(id == state.list.rows[1].id)
    }

    /// A create that succeeds under a dialog takes the dialog with it.
    @Test func aCreateDoneUnderADialogLeavesNoStaleDialog() throws {
        var state = CreateTests.picking(try StoreFixtures.order123)
        _ = state.press(.review, in: CreateState.itemKeys)
        guard case .createInvoice(let request, _, _)? = state.press(.send, in: CreateState.reviewKeys).first else {
            Issue.record("no send")
            return
        }
        _ = state.press(GenericAction.help)
        #expect(state[HelpState.self]?.title == "Create an invoice — keys")
        let invoice = Fixtures.invoice(45)
        let created = CreatedInvoice(invoice: invoice, reference: .make(), reconciled: false, emailNotSent: false)
        _ = state.update(.invoiceCreated(request: request, .success(created)))
        #expect(state.create == nil && state[HelpState.self] == nil)
        #expect(state.rooms.count == 1 && state.detail?.id == invoice.id)
    }

    /// `m` shows a cut warning whole, not only errors.
    @Test func mShowsAWarningWhole() {
        var state = Fixtures.loaded()
        let long =
            "outcome unknown: the create of order 100000123 may have been done (ref ABCD-EFGH-JKMN-PQRS) — Folio keeps looking; W shows it"
        state.message = StatusMessage(.warning, long)
        #expect(state.render().row(23).contains("m: all"))
        _ = state.press(GenericAction.message)
        #expect(state[MessageDialog.self]?.text == long)
    }

    /// Ctrl-L on a preset repaints; it does not turn the preset into empty typed dates.
    @Test func ctrlLKeepsTheChosenDatePreset() {
        var state = Fixtures.loaded()
        _ = state.press(.dateRange, in: ListState.keymap)
        _ = state.press(.down, in: DateRangeDialog.presetKeys)
        #expect(state[DateRangeDialog.self]?.selected == .today)
        #expect(state.update(.key(.control("l"))) == [.redraw])
        #expect(state.update(.key(.right)).isEmpty)
        #expect(state[DateRangeDialog.self]?.selected == .today)
        let load = Fixtures.loadRequest(state.press(.apply, in: DateRangeDialog.presetKeys))
        #expect(load?.query.createdFrom?.text == Fixtures.today.description)
    }

    /// While the email is out: Esc and q say why they wait, Q still quits, typing changes nothing.
    @Test func theEmailDialogWhileSending() {
        var state = Fixtures.loaded()
        Fixtures.openEmail(&state)
        guard case .sendEmail? = state.press(.send, in: EmailDialog.keymap).first else {
            Issue.record("no send")
            return
        }
        for key in [Key.escape, .character("q")] {
            #expect(state.update(.key(key)).isEmpty)
            #expect(state[EmailDialog.self] != nil && state.message?.text == "the email is being sent — wait for the store's answer")
        }
        _ = state.update(.key(.character("x")))
        #expect(state[EmailDialog.self]?.comment.text == "")
        #expect(state.press(GenericAction.quit) == [.quit(status: 0)])
    }

    /// Too small to see: q closes nothing (a half-filled form is kept), Q quits, q on the list quits.
    @Test func tooSmallKeepsAHalfFilledForm() throws {
        var state = CreateTests.picking(try StoreFixtures.order123)
        _ = state.update(.resize(width: 20, height: 5))
        #expect(state.update(.key(.character("q"))).isEmpty && state.create != nil)
        #expect(state.update(.key(.escape)).isEmpty && state.create != nil)
        #expect(state.update(.key(.character("Q"))) == [.quit(status: 0)])
        var list = Fixtures.loaded()
        _ = list.update(.resize(width: 20, height: 5))
        #expect(list.update(.key(.character("q"))) == [.quit(status: 0)])
    }

    /// A write in flight is not settled by hand from W.
    @Test func aWriteInFlightCannotBeSettled() throws {
        let open = try Self.openWrites()
        var state = CreateTests.picking(try StoreFixtures.order123)
        _ = state.press(.review, in: CreateState.itemKeys)
        _ = state.press(.send, in: CreateState.reviewKeys)
        guard case .checkWrites(let check, _)? = state.press(GenericAction.writes).first else {
            Issue.record("no check")
            return
        }
        _ = state.update(.writesChecked(request: check, .success(open)))
        _ = state.press(.settle, in: WritesDialog.listKeys)
        #expect(state[WritesDialog.self]?.note == nil)
        #expect(state.message?.text == "this write may be the one being sent now — wait for its answer, then settle")
    }

    /// Help lists a generic key only where the room's own table does not bind it.
    @Test func helpDoesNotListAKeyTwice() {
        var state = Fixtures.loaded()
        _ = state.press(GenericAction.help)
        let keys = state[HelpState.self]?.lines.flatMap { $0.keys.split(separator: " ") } ?? []
        #expect(!keys.isEmpty && keys.count == Set(keys).count, "\(keys)")
    }

    /// A reload after a write (an email resent, a write found) while a page
    /// turn is out asks for that page again and lands where the turn would have.
    @Test func aReloadKeepsTheLandingOfAPageTurnInFlight() {
        var state = Fixtures.loaded()
        state.list.selected = state.list.rows.count - 1
        guard let turn = Fixtures.loadRequest(state.press(.down, in: ListState.keymap)) else {
            Issue.record("no turn")
            return
        }
        let reload = Fixtures.loadRequest(state.runList { list, desk in list.reload(&desk) })
        #expect(reload?.query == turn.query && state.list.loading?.landing == .first)
        _ = state.update(.pageLoaded(request: reload!.request, .success(Fixtures.page(2, of: 4))))
        #expect(state.list.page == 2 && state.list.selected == 0)
    }
}
