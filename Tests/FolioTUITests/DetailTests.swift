import FolioCore
import FolioServer
import FolioTerminal
import FolioTestSupport
import Foundation
import Testing

@testable import FolioTUI

/// The detail screen and the email dialog, fed with invoices the reference
/// server really returns (the documents' invoice 456, and seeded ones).
@Suite struct DetailTests {
    /// Runs `body` with a client on a fresh server.
    static func withClient(token: String = TestServer.token, _ body: (APIClient) async throws -> Void) async throws {
        try await TestServer.with(orders: 150) { server in
            let client = try APIClient(.init(baseURL: server.baseURL, profile: "test", token: .fixed(token)))
            do { try await body(client) } catch {
                await client.shutdown()
                throw error
            }
            await client.shutdown()
        }
    }

    /// A list whose first row is opened, with `invoice` as the answer.
    static func opened(_ invoice: InvoiceDetail, width: Int = 80, height: Int = 24) -> AppState {
        var state = Fixtures.loaded(width: width, height: height)
        guard case .loadDetail(let request, _)? = state.update(.key(.enter)).first else { fatalError("Enter loaded nothing") }
        // The order's history, as the server answered it for this invoice's order.
        if case .loadHistory(let asked, let order)? = state.update(.detailLoaded(request: request, .success(invoice))).first {
            _ = state.update(
                .historyLoaded(request: asked, Result { try StoreFixtures.history(order: order) }.mapError { _ in .unavailable }))
        }
        return state
    }

    @Test func multiCurrencyInvoiceAtThreeSizes() async throws {
        let invoice = try StoreFixtures.invoice456
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            var state = Self.opened(invoice, width: width, height: height)
            if height == 24 { _ = state.update(.key(.character("G"))) }
            let canvas = state.render()
            try expectStyledSnapshot(canvas, "detail-456-\(width)x\(height)")
            // The grand total in both currencies, as the server formatted them.
            #expect(canvas.text.contains(invoice.totals.grandTotal!.description))
            #expect(canvas.text.contains(invoice.baseTotals.grandTotal!.description))
            #expect(canvas.text.contains("USD (base)"))
        }
        // Addresses side by side from 100 columns, stacked below.
        let wide = Self.opened(invoice, width: 120, height: 40).render().text
        #expect(wide.split(separator: "\n").contains { $0.contains("Bill to") && $0.contains("Ship to") })
        let narrow = Self.opened(invoice, width: 80, height: 60).render().text
        #expect(!narrow.split(separator: "\n").contains { $0.contains("Bill to") && $0.contains("Ship to") })
    }

    @Test func singleCurrencyHidesTheBaseColumn() async throws {
        let invoice = try StoreFixtures.invoice("invoice-single-currency")
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let state = Self.opened(invoice, width: width, height: height)
            try expectSnapshot(state.render(), "detail-single-currency-\(width)x\(height)")
            #expect(!state.render().text.contains("(base)"))
        }
    }

    @Test func manyItemsScrollAndOptionsShowUnderTheirItem() async throws {
        let invoice = try StoreFixtures.invoice("invoice-many-items")
        for (width, height) in [(120, 40), (200, 60)] {
            try expectSnapshot(Self.opened(invoice, width: width, height: height).render(), "detail-many-items-\(width)x\(height)")
        }
        var state = Self.opened(invoice, width: 80, height: 24)
        let document = try #require(state.detail?.document)
        #expect(document.lines.count > state.bodyArea.height, "the invoice fits on one screen; pick a longer one")
        try expectSnapshot(state.render(), "detail-many-items-80x24-top")
        _ = state.update(.key(.pageDown))
        #expect(state.detail?.scroll == state.bodyArea.height - 1)
        _ = state.update(.key(.character("G")))
        let bottom = state.detail!.scroll
        #expect(bottom == document.lines.count - state.bodyArea.height)
        _ = state.update(.key(.down))
        #expect(state.detail?.scroll == bottom, "scrolled past the end")
        try expectSnapshot(state.render(), "detail-many-items-80x24-bottom")
        let option = invoice.items.first { !$0.options.isEmpty }!.options[0]
        _ = state.update(.key(.character("g")))
        var seen = false
        for _ in 0..<document.lines.count {
            if state.render().text.contains("\(option.label): \(option.value)") {
                seen = true
                break
            }
            _ = state.update(.key(.character("j")))
        }
        #expect(seen, "the item's options never showed")
        _ = state.update(.key(.up))
        _ = state.update(.key(.home))
        #expect(state.detail?.scroll == 0)
    }

    /// (CJK names are in the many-items snapshots; the seed's CJK names are short.)
    @Test func veryLongNamesAtThreeSizes() async throws {
        let invoice = try StoreFixtures.invoice("invoice-long-names")
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let canvas = Self.opened(invoice, width: width, height: height + 20).render()
            try expectSnapshot(canvas, "detail-long-names-\(width)x\(height)")
            // No wide character split, nothing past the edge, every amount whole.
            for y in 0..<canvas.height { #expect(TextWidth.of(canvas.row(y)) == width) }
            #expect(canvas.text.contains(invoice.totals.grandTotal!.description))
            for line in invoice.items { #expect(canvas.text.contains(line.total!.description)) }
        }
    }

    @Test func withoutTheAdminEndpointTheFallbackSaysWhatIsMissing() async throws {
        let invoice = try StoreFixtures.lookedUp("invoice-456-api2")
        #expect(invoice.source == .api2)
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            var state = Self.opened(invoice, width: width, height: height)
            _ = state.update(.key(.end))
            try expectSnapshot(state.render(), "detail-fallback-\(width)x\(height)")
            #expect(state.render().text.contains("Not shown"))
        }
    }

    @Test func escReturnsToTheSameRowWithTheFilters() async throws {
        let invoice = try StoreFixtures.invoice456
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("s")))
        _ = state.update(.pageLoaded(request: state.list.loading!.request, .success(Fixtures.page(1, of: 4))))
        _ = state.update(.key(.down))
        _ = state.update(.key(.down))
        guard case .loadDetail(let request, let id)? = state.update(.key(.enter)).first else {
            Issue.record("no load")
            return
        }
        #expect(id == state.list.rows[2].id)
        _ = state.update(.detailLoaded(request: request, .success(invoice)))
        #expect(state.render().row(0).contains("invoice 100000045"))
        #expect(state.update(.key(.escape)).isEmpty)
        #expect(state.detail == nil)
        #expect(state.list.selected == 2 && state.list.query.states == [.open])
        #expect(state.render().row(0).contains("state: open"))
    }

    @Test func nextAndPreviousWalkTheListAndDropStaleAnswers() async throws {
        let invoice = try StoreFixtures.invoice456
        var state = Self.opened(invoice)
        #expect(state.update(.key(.character("p"))).isEmpty)
        #expect(state.message?.text == "this is the first invoice of the list")
        guard case .loadDetail(let first, let id1)? = state.update(.key(.character("n"))).first,
            case .loadDetail(let second, let id2)? = state.update(.key(.character("n"))).first
        else {
            Issue.record("n loaded nothing")
            return
        }
        #expect(id1 == state.list.rows[1].id && id2 == state.list.rows[2].id)
        #expect(state.list.selected == 2)
        // The answer for the row left behind arrives late: dropped.
        _ = state.update(.detailLoaded(request: first, .success(invoice)))
        #expect(state.detail?.detail == nil && state.detail?.loading == second)
        #expect(state.detail?.number == state.list.rows[2].incrementId)
        // Past the end of the page, the list turns it and the detail follows.
        state.list.selected = state.list.rows.count - 1
        _ = state.update(.detailLoaded(request: second, .success(invoice)))
        let turn = try #require(Fixtures.loadRequest(state.update(.key(.character("n")))))
        #expect(turn.query.page == 2)
        let next = state.update(.pageLoaded(request: turn.request, .success(Fixtures.page(2, of: 4))))
        #expect(next == [.loadDetail(request: state.lastRequest, id: state.list.rows[0].id)])
        #expect(state.list.page == 2 && state.list.selected == 0 && state.detail?.number == state.list.rows[0].incrementId)
        // And back: p on the first row of page 2 opens the last row of page 1.
        let back = try #require(Fixtures.loadRequest(state.update(.key(.character("p")))))
        _ = state.update(.pageLoaded(request: back.request, .success(Fixtures.page(1, of: 4))))
        #expect(state.list.selected == 49 && state.detail?.number == state.list.rows[49].incrementId)
        // On the list's last page there is nowhere further to go.
        var last = Fixtures.loaded(page: Fixtures.page(4, of: 4))
        _ = last.update(.key(.end))
        guard case .loadDetail(let open, _)? = last.update(.key(.enter)).first else {
            Issue.record("no load")
            return
        }
        _ = last.update(.detailLoaded(request: open, .success(invoice)))
        #expect(last.update(.key(.character("n"))).isEmpty)
        #expect(last.message?.text == "this is the last invoice of the list")
    }

    @Test func copyOrderAndFailures() async throws {
        let invoice = try StoreFixtures.invoice456
        var state = Self.opened(invoice)
        #expect(state.update(.key(.character("y"))) == [.copy(text: "100000045")])
        #expect(state.message?.kind == .success)
        // A failed reload keeps what is on screen and says how to retry.
        guard case .loadDetail(let request, _)? = state.update(.key(.character("r"))).first else {
            Issue.record("no reload")
            return
        }
        _ = state.update(.detailLoaded(request: request, .failure(.unavailable)))
        #expect(state.message?.kind == .error && state.message?.text.contains("r to retry") == true)
        #expect(state.render().text.contains("Invoice 100000045"))
        _ = state.update(.key(.character("?")))
        guard let help = state[HelpState.self] else {
            Issue.record("no help")
            return
        }
        #expect(help.lines.contains { $0.keys == "y" })
    }

    @Test func theOrderReadOnlyWithWhatRemains() async throws {
        let invoice = try StoreFixtures.invoice456
        var state = Self.opened(invoice, width: 120, height: 40)
        guard case .loadOrder(let request, let id)? = state.update(.key(.character("o"))).first else {
            Issue.record("no load")
            return
        }
        #expect(id == invoice.orderId)
        #expect(state.render().text.contains("loading order 100000044"))
        let order = try StoreFixtures.order("order-44")
        #expect(order.id == id)
        _ = state.update(.orderLoaded(request: request, .success(order)))
        try expectSnapshot(state.render(), "order-44-120x40")
        let text = state.render().text
        #expect(text.contains("Order 100000044") && text.contains("Remaining") && text.contains("read-only"))
        for item in order.items { #expect(text.contains(item.sku)) }
        // Keys that would change something elsewhere do nothing here.
        #expect(state.update(.key(.character("e"))).isEmpty && state.dialog == nil)
        _ = state.update(.resize(width: 60, height: 20))
        try expectSnapshot(state.render(), "order-44-60x20")
        _ = state.update(.key(.escape))
        #expect(state.order == nil && state.detail?.detail?.id == 456)
        // The order of a fresh store's fixture: nothing invoiced, everything remains.
        var fresh = Self.opened(invoice, width: 120, height: 40)
        guard case .loadOrder(let again, _)? = fresh.update(.key(.character("o"))).first else {
            Issue.record("o loaded no order")
            return
        }
        let untouched = try StoreFixtures.order123
        _ = fresh.update(.orderLoaded(request: again, .success(untouched)))
        let lines = fresh.render().text.split(separator: "\n")
        let linen = try #require(lines.first { $0.contains(untouched.items.first { $0.isQtyDecimal }!.sku) })
        #expect(linen.hasSuffix("2.5"), "remaining of the decimal item: \(linen)")
    }

    @Test func clipboardSequences() {
        let plain = Clipboard.sequences(for: "100000045", environment: [:])
        #expect(plain == ["\u{1B}]52;c;MTAwMDAwMDQ1\u{07}"])
        let tmux = Clipboard.sequences(for: "100000045", environment: ["TMUX": "/tmp/tmux-0/default,1,0"])
        #expect(tmux.count == 2 && tmux[0] == plain[0])
        #expect(tmux[1] == "\u{1B}Ptmux;\u{1B}\u{1B}]52;c;MTAwMDAwMDQ1\u{07}\u{1B}\\")
    }
}

@Suite struct EmailDialogTests {
    @Test func sendsOnceWhateverIsPressedWhileInFlight() {
        var state = Fixtures.loaded()
        let shown = state.list.query
        guard case .checkResend(let check, let id, "100000045", _, _, _)? = state.update(.key(.character("e"))).first,
            let dialog = state[EmailDialog.self]
        else {
            Issue.record("no dialog, or it did not look at the history")
            return
        }
        #expect(id == state.list.rows[0].id)
        // Enter before the history is read waits for it (a key is never lost), and sends nothing yet.
        for c in "called in" { _ = state.update(.key(.character(c))) }
        #expect(state.update(.key(.enter)).isEmpty)
        #expect(state.message?.text == "checking when it was last sent — it goes once that is known")
        #expect(dialog.invoiceId == state.list.rows[0].id)
        let effects = state.update(.resendChecked(request: check, ResendCheck(last: nil)))
        #expect(state.message == nil)
        guard case .sendEmail(let request, let resend, false)? = effects.first else {
            Issue.record("no send")
            return
        }
        #expect(resend.invoiceId == state.list.rows[0].id && resend.comment == "called in")
        #expect(resend.again == false && resend.reason == nil && resend.clerk == state.clerk)
        // In flight: Enter, Esc and typing change nothing.
        #expect(state.update(.key(.enter)).isEmpty)
        #expect(state.update(.key(.escape)).isEmpty)
        _ = state.update(.key(.character("x")))
        guard let sending = state[EmailDialog.self] else {
            Issue.record("dialog closed while sending")
            return
        }
        #expect(sending.comment.text == "called in" && sending.sending == request)
        #expect(state.render().text.contains("last sent: never"))
        #expect(state.render().text.contains("sending…"))
        // Success: closed, said, and the list and email flag refreshed.
        let after = state.update(.emailSent(request: request, .success(Fixtures.sent(true, note: .success(Fixtures.note("x"))))))
        #expect(state.dialog == nil)
        #expect(state.message?.kind == .success)
        #expect(state.message?.text.contains("; noted in order \(state.list.rows[0].orderIncrementId ?? "?")'s history (ref ") == true)
        // The page on screen again, fresh (a cached page would show the old email flag).
        #expect(after.contains { if case .loadPage(_, let query, true) = $0 { query == shown } else { false } })
    }

    @Test func aFailureKeepsTheDialogAndTheCommentForAnotherTry() {
        var state = Fixtures.loaded()
        Fixtures.openEmail(&state)
        for c in "second try" { _ = state.update(.key(.character(c))) }
        guard case .sendEmail(let request, _, _)? = state.update(.key(.enter)).first else {
            Issue.record("no send")
            return
        }
        _ = state.update(.emailSent(request: request, .failure(.server(status: 500, message: "Email could not be sent"))))
        guard let dialog = state[EmailDialog.self] else {
            Issue.record("dialog closed on failure")
            return
        }
        #expect(dialog.comment.text == "second try")
        #expect(dialog.problem?.contains("Email could not be sent") == true)
        #expect(state.render().text.contains("Enter tries again"))
        guard case .sendEmail(let retry, let resend, _)? = state.update(.key(.enter)).first else {
            Issue.record("no retry")
            return
        }
        #expect(retry != request && resend.comment == "second try")
        // A late answer to the first attempt changes nothing.
        _ = state.update(.emailSent(request: request, .success(Fixtures.sent(true))))
        guard state[EmailDialog.self] != nil else {
            Issue.record("a stale answer closed the dialog")
            return
        }
        // Taken but not sent: no success anywhere, the dialog says so.
        _ = state.update(.emailSent(request: retry, .success(Fixtures.sent(false))))
        #expect(state[EmailDialog.self]?.problem?.contains("says the email was not sent") == true)
        #expect(state.message?.kind != .success)
    }

    @Test func escCancelsBeforeSending() {
        var state = Fixtures.loaded()
        Fixtures.openEmail(&state)
        #expect(state[EmailDialog.self] != nil)
        #expect(state.update(.key(.escape)).isEmpty)
        #expect(state.dialog == nil)
    }

    /// Sent four minutes ago: Enter asks why before anything goes; an empty
    /// reason is refused; Esc goes back with nothing sent; the reason travels
    /// to the note, never to the customer's comment.
    @Test func aRepeatWithinTheWindowAsksWhyFirst() {
        var state = Fixtures.loaded()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        state.now = { now }
        Fixtures.openEmail(&state, last: LastSend(at: now - 240, to: state.list.rows[0].customerEmail, by: "anna via Folio"))
        #expect(state.render().text.contains("last sent: \(StoreTime.text(now - 240)) UTC (4 min ago) by anna via Folio"))
        for c in "copy" { _ = state.update(.key(.character(c))) }
        #expect(state.press(.send, in: EmailDialog.keymap).isEmpty)
        #expect(state[EmailDialog.self]?.stage == .reason)
        #expect(state.render().text.contains("It went out 4 min ago — why send it again?"))
        // No reason, no send.
        #expect(state.press(.send, in: EmailDialog.reasonKeys).isEmpty)
        #expect(state[EmailDialog.self]?.problem == "say why it is sent again: the reason goes in the order's history")
        // Esc: back to the comment, nothing sent, the comment kept.
        #expect(state.press(.cancel, in: EmailDialog.reasonKeys).isEmpty)
        #expect(state[EmailDialog.self]?.stage == .compose && state[EmailDialog.self]?.comment.text == "copy")
        _ = state.press(.send, in: EmailDialog.keymap)
        for c in "lost it" { _ = state.update(.key(.character(c))) }
        guard case .sendEmail(_, let resend, _)? = state.press(.send, in: EmailDialog.reasonKeys).first else {
            Issue.record("no send after the reason")
            return
        }
        #expect(resend.reason == "lost it" && resend.comment == "copy" && resend.again)
    }

    /// Outside the window (or with the window off) it sends at once, and says "again" in the note.
    @Test func outsideTheWindowItSendsAtOnce() {
        for (ago, window) in [(Double(601), Duration.seconds(600)), (60, .zero)] {
            var state = Fixtures.loaded()
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            state.now = { now }
            state.resendWindow = window
            Fixtures.openEmail(&state, last: LastSend(at: now - ago, to: nil, by: "the store"))
            guard case .sendEmail(_, let resend, _)? = state.press(.send, in: EmailDialog.keymap).first else {
                Issue.record("asked for a reason \(ago) s after, window \(window)")
                continue
            }
            #expect(resend.again && resend.reason == nil)
        }
    }

    /// An attack on the repeat question: after "an earlier resend is of
    /// unknown outcome", Esc back to the comment and Enter must still ask why.
    @Test func sendAnywayNeverSkipsTheReason() {
        var state = Fixtures.loaded()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        state.now = { now }
        let recent = LastSend(at: now - 60, to: nil, by: "the store")
        Fixtures.openEmail(&state, last: recent)
        _ = state.press(.send, in: EmailDialog.keymap)
        _ = state.update(.paste("lost it"))
        guard case .sendEmail(let request, _, false)? = state.press(.send, in: EmailDialog.reasonKeys).first else {
            Issue.record("no send")
            return
        }
        let effects = state.update(.emailSent(request: request, .failure(.pendingWrite(what: "invoice 1", reference: "AAAA"))))
        guard case .checkResend(let again, _, _, _, _, _)? = effects.first(where: { if case .checkResend = $0 { true } else { false } })
        else {
            Issue.record("the check was not read again: \(effects)")
            return
        }
        _ = state.update(.resendChecked(request: again, ResendCheck(last: recent)))
        _ = state.press(.cancel, in: EmailDialog.reasonKeys)
        #expect(state[EmailDialog.self]?.write.pendingConfirm == nil)
        #expect(state.press(.send, in: EmailDialog.keymap).isEmpty, "Enter asks why again, it does not send")
        #expect(state[EmailDialog.self]?.stage == .reason)
    }

    /// The history did not load: an Enter pressed early does not send by
    /// itself; the clerk sees why and presses Enter again.
    @Test func anUnreadHistoryIsShownBeforeAnythingGoes() {
        var state = Fixtures.loaded()
        guard case .checkResend(let request, _, _, _, _, _)? = state.update(.key(.character("e"))).first else {
            Issue.record("no check")
            return
        }
        _ = state.update(.key(.enter))
        let effects = state.update(.resendChecked(request: request, ResendCheck(last: nil, historyProblem: "could not read it")))
        #expect(effects.isEmpty)
        #expect(state[EmailDialog.self]?.problem == "could not read it — Enter sends all the same")
        guard case .sendEmail? = state.press(.send, in: EmailDialog.keymap).first else {
            Issue.record("Enter did not send after the warning")
            return
        }
    }

    /// A check read a while ago is read again before sending, and nothing
    /// is typed into the comment once Enter was pressed.
    @Test func anOldCheckIsReadAgainAndTheCommentIsLockedMeanwhile() {
        var state = Fixtures.loaded()
        let opened = Date(timeIntervalSince1970: 1_800_000_000)
        state.now = { opened }
        Fixtures.openEmail(&state)
        let now = opened + 120
        state.now = { now }
        guard case .checkResend(let request, _, _, _, _, _)? = state.press(.send, in: EmailDialog.keymap).first else {
            Issue.record("an old check was not read again")
            return
        }
        _ = state.update(.paste("typed late"))
        _ = state.update(.key(.character("x")))
        #expect(state[EmailDialog.self]?.comment.text == "")
        // Another clerk sent it meanwhile: the answer asks why, it does not send.
        let effects = state.update(.resendChecked(request: request, ResendCheck(last: LastSend(at: now - 5, to: nil, by: "bob via Folio"))))
        #expect(effects.isEmpty && state[EmailDialog.self]?.stage == .reason)
    }

    @Test func aNoteThatFailsIsSaidButTheEmailStillWent() {
        var state = Fixtures.loaded()
        Fixtures.openEmail(&state)
        guard case .sendEmail(let request, _, _)? = state.press(.send, in: EmailDialog.keymap).first else {
            Issue.record("no send")
            return
        }
        _ = state.update(.emailSent(request: request, .success(Fixtures.sent(true, note: .failure(.unavailable)))))
        #expect(state.dialog == nil && state.message?.kind == .warning)
        #expect(state.message?.text.contains("email of invoice") == true)
        #expect(state.message?.text.contains("'s history was not added: ") == true)
    }
}

/// `N` on an invoice: an internal note, sent once as a journaled write.
@Suite struct NoteDialogTests {
    static func opened() throws -> AppState {
        var state = Fixtures.loaded()
        let request = state.update(.key(.enter)).compactMap { if case .loadDetail(let r, _) = $0 { r } else { nil } }.first ?? -1
        _ = state.update(.detailLoaded(request: request, .success(try StoreFixtures.invoice456)))
        return state
    }

    @Test func aNoteIsSentOnceAndTheHistoryReloads() throws {
        var state = try Self.opened()
        _ = state.press(.note, in: Pager.invoiceKeys)
        let order = try StoreFixtures.invoice456.orderIncrementId
        #expect(state[NoteDialog.self]?.orderNumber == order)
        #expect(state.render().text.contains("Not shown to the customer; nobody is emailed."))
        for c in "called, wants a copy" { _ = state.update(.key(.character(c))) }
        guard case .addNote(let request, let sentTo, "100000045", "called, wants a copy", false)? = state.update(.key(.enter)).first
        else {
            Issue.record("no note sent")
            return
        }
        #expect(sentTo == order)
        // In flight: nothing sends again, nothing closes it.
        #expect(state.update(.key(.enter)).isEmpty && state.update(.key(.escape)).isEmpty)
        #expect(state[NoteDialog.self]?.write.sending == request)
        let after = state.update(.noteAdded(request: request, .success(Fixtures.note("called, wants a copy"))))
        #expect(state.dialog == nil && state.message?.kind == .success)
        #expect(state.message?.text.hasPrefix("done · internal note added to order") == true)
        #expect(after.contains { if case .loadDetail = $0 { true } else { false } })
    }

    @Test func badWordsAndRefusalsKeepTheDialogAndTheWords() throws {
        var state = try Self.opened()
        _ = state.press(.note, in: Pager.invoiceKeys)
        for c in "   " { _ = state.update(.key(.character(c))) }
        #expect(state.update(.key(.enter)).isEmpty)
        #expect(state[NoteDialog.self]?.write.problem == "the note is empty — type what happened")
        _ = state.update(.paste("refund promised"))
        guard case .addNote(let request, _, _, _, _)? = state.update(.key(.enter)).first else {
            Issue.record("no note sent")
            return
        }
        _ = state.update(.noteAdded(request: request, .failure(.refused(message: "Invalid comment", detail: nil))))
        #expect(state[NoteDialog.self]?.note.text == "   refund promised")
        #expect(state[NoteDialog.self]?.write.problem?.contains("Invalid comment") == true)
    }

    @Test func anUnknownOutcomeClosesItAndKeepsLooking() throws {
        var state = try Self.opened()
        _ = state.press(.note, in: Pager.invoiceKeys)
        _ = state.update(.paste("x"))
        guard case .addNote(let request, _, _, _, _)? = state.update(.key(.enter)).first else {
            Issue.record("no note sent")
            return
        }
        let effects = state.update(
            .noteAdded(request: request, .failure(.outcomeUnknown(what: "a note on order 1", reference: "AAAA", reason: "timeout"))))
        #expect(state.dialog == nil && state.message?.kind == .warning)
        #expect(state.message?.text.contains("may have been added (ref AAAA)") == true)
        #expect(effects.contains { if case .checkWrites = $0 { true } else { false } })
    }

    /// The note dialog and the repeat-resend question over invoice 456, at two sizes.
    @Test func theNoteDialogAndTheRepeatQuestionDrawn() throws {
        let invoice = try StoreFixtures.invoice456
        for (width, height) in [(80, 24), (120, 40)] {
            var note = DetailTests.opened(invoice, width: width, height: height)
            _ = note.press(.note, in: Pager.invoiceKeys)
            _ = note.update(.paste("Kundin rief an: Rechnung fehlt — copy by post"))
            try expectStyledSnapshot(note.render(), "note-dialog-\(width)x\(height)")

            var again = DetailTests.opened(invoice, width: width, height: height)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            again.now = { now }
            guard case .checkResend(let request, _, _, _, _, _)? = again.press(.email, in: Pager.invoiceKeys).first else {
                Issue.record("the dialog did not look at the history")
                return
            }
            _ = again.update(
                .resendChecked(
                    request: request,
                    ResendCheck(last: LastSend(at: now - 180, to: invoice.customerEmail, by: "anna via Folio"))))
            _ = again.press(.send, in: EmailDialog.keymap)
            _ = again.update(.paste("customer deleted it"))
            try expectStyledSnapshot(again.render(), "resend-again-\(width)x\(height)")
        }
    }

    @Test func nSaysWhyItCannotActWhileTheInvoiceLoads() {
        var state = Fixtures.loaded()
        _ = state.update(.key(.enter))
        #expect(state.press(.note, in: Pager.invoiceKeys).isEmpty)
        #expect(state.dialog == nil && state.message?.text == "the invoice is still loading")
    }
}

/// The order's history under an invoice: asked for once the invoice is in,
/// newest first, who it was for in words; a failure says so and R asks again.
@Suite struct HistorySectionTests {
    @Test func theHistoryLoadsUnderTheInvoiceAndSaysWhoItWasFor() throws {
        let invoice = try StoreFixtures.invoice456
        var state = Fixtures.loaded(width: 120, height: 40)
        guard case .loadDetail(let request, _)? = state.update(.key(.enter)).first else {
            Issue.record("no load")
            return
        }
        guard case .loadHistory(let asked, let order)? = state.update(.detailLoaded(request: request, .success(invoice))).first else {
            Issue.record("the history was not asked for")
            return
        }
        #expect(order == invoice.orderId && state.isBusy)
        _ = state.update(.key(.character("G")))
        #expect(state.render().text.contains("History  loading…"))
        _ = state.update(.historyLoaded(request: asked, .failure(.unavailable)))
        #expect(state.render().text.contains("History  did not load:") && !state.isBusy)
        // R asks for the invoice and then its history again.
        guard case .loadDetail(let again, _)? = state.press(.reload, in: Pager.invoiceKeys).first,
            case .loadHistory(let second, _)? = state.update(.detailLoaded(request: again, .success(invoice))).first
        else {
            Issue.record("R did not ask again")
            return
        }
        _ = state.update(.historyLoaded(request: second, .success(try StoreFixtures.history(order: order))))
        _ = state.update(.key(.character("G")))
        let text = state.render().text
        #expect(text.contains("History (3)") && text.contains("email  internal, customer notified") && text.contains("invoice  internal"))
        #expect(text.contains("system  internal  status → processing"))
        // A late answer to the first request changes nothing.
        _ = state.update(.historyLoaded(request: asked, .success([])))
        #expect(state.render().text.contains("History (3)"))
    }

    /// A comment's line breaks are lines, and a word longer than the line is cut across lines, not off the edge.
    @Test func aCommentKeepsItsLinesAndLongWords() throws {
        let invoice = try StoreFixtures.invoice456
        var state = Fixtures.loaded(width: 60, height: 40)
        guard case .loadDetail(let request, _)? = state.update(.key(.enter)).first,
            case .loadHistory(let asked, _)? = state.update(.detailLoaded(request: request, .success(invoice))).first
        else {
            Issue.record("no history asked")
            return
        }
        let url = "https://tracking.example.com/" + String(repeating: "a1b2c3", count: 12)
        let entry = OrderHistoryEntry(
            id: 9, comment: "Called customer\nwill pay Friday \(url) \u{1B}[2J\u{202E}gpj.exe", status: nil, isCustomerNotified: false,
            isVisibleOnFront: false,
            createdAt: "2026-11-20 10:00:00", source: "integration")
        _ = state.update(.historyLoaded(request: asked, .success([entry])))
        _ = state.update(.key(.character("G")))
        let lines = state.render().text.split(separator: "\n")
        #expect(lines.contains { $0.hasSuffix("Called customer") || $0.contains("Called customer ") && !$0.contains("will") })
        #expect(lines.contains { $0.contains("will pay Friday") })
        let pieces = lines.filter { $0.contains("a1b2c3") }
        #expect(pieces.count > 1 && pieces.allSatisfy { !$0.contains("…") }, "the URL is cut across lines, whole")
        // A hostile comment draws no escape or bidi override into the cells.
        let bad = state.render().text.unicodeScalars.filter { $0 == "\u{1B}" || $0 == "\u{202E}" }.map { String($0.value, radix: 16) }
        #expect(bad.isEmpty, "\(bad)")
    }
}
