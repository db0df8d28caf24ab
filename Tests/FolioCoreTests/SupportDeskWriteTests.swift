import FolioServer
import FolioTestSupport
import Foundation
import Testing

@testable import FolioCore

/// The support desk's writes against the real reference server: an internal
/// note is one journaled write with one known outcome, and a resend leaves a
/// note that says what happened — never a success the store did not give.
@Suite struct SupportDeskWriteTests {
    /// Entries of order `number`'s history that carry `reference` as their marker, read from the store's side.
    func carrying(_ reference: OperationReference, _ store: Store) async throws -> Int {
        try await store.count("SELECT COUNT(*) FROM order_history WHERE comment LIKE '[folio-op \(reference.value)]%'")
    }

    @Test func aNoteIsAddedOnceInternalAndCarriesItsReference() async throws {
        try await Store.with { store in
            try await store.client { client in
                let added = try await client.addNote(orderNumber: "100000123", text: "  called, wants a copy  ", journal: store.journal)
                #expect(added.entry.comment == added.reference.marker + " called, wants a copy")
                #expect(!added.entry.isVisibleOnFront && !added.entry.isCustomerNotified && !added.reconciled)
                #expect(try await carrying(added.reference, store) == 1)
                // The history shows it, newest first.
                #expect(try await client.history(orderNumber: "100000123").first?.comment == added.entry.comment)
                #expect(try store.journal.entries().map(\.status) == [.done])
                #expect(try store.journal.entries().first?.intent.kind == .orderNote)
            }
        }
    }

    @Test func theNoteIsCheckedBeforeAnythingIsSent() async throws {
        try await Store.with { store in
            try await store.client { client in
                let before = try await store.count("SELECT COUNT(*) FROM order_history")
                for bad in ["", "   \n ", "line\nbreak", "esc\u{1B}[31m", "bell\u{07}", String(repeating: "x", count: NoteText.room + 1)] {
                    let refused = await failure { try await client.addNote(orderNumber: "100000123", text: bad, journal: store.journal) }
                    guard case .invalidInput? = refused else {
                        Issue.record("\(bad.debugDescription): \(String(describing: refused))")
                        continue
                    }
                }
                #expect(await failure { try await client.addNote(orderNumber: " ", text: "x", journal: store.journal) } != nil)
                #expect(try await store.count("SELECT COUNT(*) FROM order_history") == before)
                #expect(try store.journal.entries().isEmpty, "nothing refused before sending is journaled")
                // Unknown order: refused by the store, journaled as refused.
                let unknown = await failure { try await client.addNote(orderNumber: "999999999", text: "x", journal: store.journal) }
                #expect(unknown == .notFound(what: "a note on order 999999999"))
                #expect(try store.journal.entries().map(\.status) == [.refused])
            }
        }
    }

    /// A marker typed into a note never makes it name another write.
    @Test func aMarkerInTheWordsIsDefused() async throws {
        try await Store.with { store in
            try await store.client { client in
                let other = OperationReference.make()
                let added = try await client.addNote(orderNumber: "100000123", text: other.marker + " spoof", journal: store.journal)
                #expect(OperationReference.marking(added.entry.comment ?? "") == added.reference)
                #expect(try await carrying(other, store) == 0)
            }
        }
    }

    @Test func aLostAnswerIsFoundByItsReferenceExactlyOnce() async throws {
        try await Store.with { store in
            let proxy = try FaultProxy(upstreamPort: store.server.port)
            defer { proxy.stop() }
            try await store.client(via: proxy.baseURL) { client in
                proxy.inject(.dropAfterForward)
                let added = try await client.addNote(orderNumber: "100000123", text: "lost answer", journal: store.journal)
                #expect(added.reconciled)
                #expect(try await carrying(added.reference, store) == 1)
                #expect(try store.journal.entries().map(\.status) == [.done])
            }
        }
    }

    /// Refused at once by something in between, passed on later:
    /// unknown, then found done; the same note again meanwhile is refused,
    /// another note is not.
    @Test func anUnknownNoteBlocksItsRetryNotOtherNotes() async throws {
        try await Store.with { store in
            let proxy = try FaultProxy(upstreamPort: store.server.port)
            defer { proxy.stop() }
            try await store.client(via: proxy.baseURL) { client in
                proxy.inject(.answerThenHold(status: 503))
                let failed = await failure { try await client.addNote(orderNumber: "100000123", text: "same", journal: store.journal) }
                guard case .outcomeUnknown(let what, let reference, _)? = failed else {
                    Issue.record("\(String(describing: failed))")
                    return
                }
                #expect(what == "a note on order 100000123")
                let other = try await client.addNote(orderNumber: "100000123", text: "another", journal: store.journal)
                #expect(!other.reconciled)
                proxy.forwardHeld()
                #expect(await proxy.drain(timeout: 10))
                // The same note again: the earlier one is looked for first, found done, and this one is not sent.
                let again = await failure { try await client.addNote(orderNumber: "100000123", text: "same", journal: store.journal) }
                #expect(again == .earlierWriteDone(what: "order 100000123", outcome: "note on order 100000123 added", reference: reference))
                #expect(try await carrying(OperationReference(reference)!, store) == 1)
                #expect(try await store.count("SELECT COUNT(*) FROM order_history WHERE comment LIKE '%] same'") == 1)
            }
        }
    }

    /// A resend leaves a note naming it, the recipient and the clerk; the
    /// check right after sees it, within the window.
    @Test func aResendIsNotedAndTheNextOneIsARepeat() async throws {
        try await Store.with { store in
            try await store.client { client in
                let invoice = try await client.invoice(number: "100000045")
                let before = try await store.sandbox.outbox(invoice: Int(invoice.id)).count
                let resend = Resend(
                    invoiceId: invoice.id, invoiceNumber: "100000045", orderNumber: invoice.orderIncrementId,
                    recipient: invoice.customerEmail, comment: "as asked", again: true, reason: "lost it", clerk: "anna")
                let report = try await client.resend(resend, journal: store.journal)
                #expect(report.resent.emailSent)
                guard case .success(let note)? = report.note else {
                    Issue.record("no note: \(String(describing: report.note))")
                    return
                }
                #expect(
                    note.entry.comment
                        == note.reference.marker
                        + " Invoice 100000045 emailed again to \(invoice.customerEmail ?? "") by anna (resend ref \(report.resent.reference)): lost it"
                )
                #expect(try await store.sandbox.outbox(invoice: Int(invoice.id)).count == before + 1)
                let check = await client.resendCheck(
                    invoiceId: invoice.id, number: "100000045", orderNumber: invoice.orderIncrementId, emailSent: true,
                    recipient: invoice.customerEmail, journal: store.journal)
                #expect(check.historyProblem == nil)
                #expect(check.last?.by == "anna via Folio" && check.last?.to == invoice.customerEmail)
                #expect(check.last?.reference == report.resent.reference)
                let at = try #require(check.last?.at)
                #expect(abs(at.timeIntervalSinceNow) < 120)
                #expect(ResendPolicy.isRepeat(check.last, window: .seconds(600), now: Date()))
                #expect(!ResendPolicy.isRepeat(check.last, window: .zero, now: Date()))
                #expect(!ResendPolicy.isRepeat(check.last, window: .seconds(600), now: at + 601))
            }
        }
    }

    /// The mail server refuses: the store's 500 is what the caller gets, no
    /// mail is in the outbox, and the note says it failed.
    @Test func aFailedResendIsNotedAsFailed() async throws {
        try await Store.with { store in
            try await store.client { client in
                let invoice = try await client.invoice(number: "100000045")
                // A send that went, first: the failure after it must not take its place.
                let sent = try await client.resend(
                    Resend(
                        invoiceId: invoice.id, invoiceNumber: "100000045", orderNumber: invoice.orderIncrementId,
                        recipient: invoice.customerEmail, comment: nil, again: true, reason: nil, clerk: "bob"),
                    journal: store.journal)
                let before = try await store.sandbox.outbox(invoice: Int(invoice.id)).count
                let lastBefore = ResendPolicy.lastSend(
                    of: "100000045", in: try await client.history(orderNumber: invoice.orderIncrementId ?? ""))
                #expect(lastBefore?.reference == sent.resent.reference && lastBefore?.by == "bob via Folio")
                try await store.faults(#"{"smtp_failing": true}"#)
                let resend = Resend(
                    invoiceId: invoice.id, invoiceNumber: "100000045", orderNumber: invoice.orderIncrementId,
                    recipient: invoice.customerEmail, comment: nil, again: false, reason: nil, clerk: "anna")
                let failed = await failure { try await client.resend(resend, journal: store.journal) }
                #expect(failed == .server(status: 500, message: "Email could not be sent"))
                #expect(lastBefore != nil)
                #expect(try await store.sandbox.outbox(invoice: Int(invoice.id)).count == before)
                let history = try await client.history(orderNumber: invoice.orderIncrementId ?? "")
                #expect(
                    history.first?.comment?.contains("Invoice 100000045 email to \(invoice.customerEmail ?? "") FAILED, by anna") == true)
                #expect(history.first?.comment?.hasSuffix("the store said: Email could not be sent") == true)
                // A failure is not a send: the last send is still the one before.
                #expect(ResendPolicy.lastSend(of: "100000045", in: history) == lastBefore)
            }
        }
    }
}

extension SupportDeskWriteTests {
    /// A note another tool wrote in Folio's words names a clerk Folio cannot
    /// vouch for; the dialog and the CLI say "(unverified)".
    @Test func aForgedResendNoteIsUnverified() async throws {
        try await Store.with { store in
            try await store.client { client in
                let invoice = try await client.invoice(number: "100000045")
                let order = try #require(invoice.orderIncrementId)
                let forged = "Invoice 100000045 emailed again to evil@example.com by ceo (resend ref \(OperationReference.make()))"
                _ = try await client.addNote(orderNumber: order, text: forged, journal: store.journal)
                let check = await client.resendCheck(
                    invoiceId: invoice.id, number: "100000045", orderNumber: order, emailSent: true, recipient: nil,
                    journal: store.journal)
                #expect(check.last?.by == "ceo via Folio (unverified)")
            }
        }
    }

    /// A reason the note cannot carry is refused before the email goes: never a mail without its note.
    @Test func aNoteThatCannotBeAddedStopsTheResendBeforeItGoes() async throws {
        try await Store.with { store in
            try await store.client { client in
                let invoice = try await client.invoice(number: "100000045")
                let before = try await store.sandbox.outbox(invoice: Int(invoice.id)).count
                let heavy = String(repeating: "e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}", count: 290)
                let resend = Resend(
                    invoiceId: invoice.id, invoiceNumber: "100000045", orderNumber: invoice.orderIncrementId,
                    recipient: invoice.customerEmail, comment: nil, again: true, reason: heavy, clerk: "anna")
                let refused = await failure { try await client.resend(resend, journal: store.journal) }
                guard case .invalidInput? = refused else {
                    Issue.record("\(String(describing: refused))")
                    return
                }
                #expect(try await store.sandbox.outbox(invoice: Int(invoice.id)).count == before)
                #expect(try store.journal.entries().isEmpty)
            }
        }
    }
}

/// What the history says of an invoice's sends, read from words.
@Suite struct LastSendTests {
    func entry(_ comment: String, source: String = "integration", at: String = "2026-11-29 09:00:00") -> OrderHistoryEntry {
        OrderHistoryEntry(
            id: nil, comment: comment, status: nil, isCustomerNotified: false, isVisibleOnFront: false, createdAt: at, source: source)
    }

    @Test func theNewestSendOfThisInvoiceOnly() {
        let ref = OperationReference.make()
        let history = [
            entry("Invoice 1000000451 emailed to other@example.com", source: "email", at: "2026-11-29 10:00:00"),
            entry("Invoice 100000045 emailed to x@example.com: just a comment", source: "integration", at: "2026-11-29 09:30:00"),
            entry(
                "[folio-op \(ref)] Invoice 100000045 email to x@example.com FAILED, by bob (resend ref \(ref))", at: "2026-11-29 09:20:00"),
            entry("Invoice 100000045 emailed to x@example.com: [folio-op \(ref)]", source: "email", at: "2026-11-29 09:10:00"),
            entry("Invoice 100000045 emailed to x@example.com", source: "email", at: "2026-11-28 09:00:00"),
        ]
        let last = ResendPolicy.lastSend(of: "100000045", in: history)
        #expect(last == LastSend(at: StoreTime.date("2026-11-29 09:10:00"), to: "x@example.com", by: "the store", reference: ref))
        #expect(ResendPolicy.lastSend(of: "100000046", in: history) == nil)
        #expect(ResendPolicy.describe(nil, now: Date()) == "never")
    }

    @Test func theJournalWinsOnlyWhenLater() {
        let ref = OperationReference.make()
        let history = LastSend(at: Date(timeIntervalSince1970: 1000), to: "x", by: "anna via Folio", reference: ref)
        let same = LastSend(at: Date(timeIntervalSince1970: 1003), to: nil, by: "profile p via Folio on this machine", reference: ref)
        let later = LastSend(at: Date(timeIntervalSince1970: 2000), to: nil, by: "profile p", reference: .make())
        #expect(ResendPolicy.newer(history: history, journal: same) == history)
        #expect(ResendPolicy.newer(history: history, journal: later) == later)
        #expect(ResendPolicy.newer(history: nil, journal: later) == later)
        // A flag without a time proves no repeat.
        #expect(!ResendPolicy.isRepeat(LastSend(at: nil, to: nil, by: "the store"), window: .seconds(600), now: Date()))
    }

    /// Attacks on "last sent": an unreadable or future time counts as now;
    /// the list's order does not decide which send is the latest; a note
    /// without a recipient reads back.
    @Test func theLatestSendIsTheLatestAndDoubtCountsAsNow() {
        let now = StoreTime.date("2026-11-29 12:00:00")!
        let window = Duration.seconds(600)
        let oldestFirst = [
            entry("Invoice 100000045 emailed to x@example.com", source: "email", at: "2026-11-28 09:00:00"),
            entry("Invoice 100000045 emailed to x@example.com", source: "email", at: "2026-11-29 11:58:00"),
        ]
        #expect(ResendPolicy.lastSend(of: "100000045", in: oldestFirst)?.at == StoreTime.date("2026-11-29 11:58:00"))
        for odd in ["2026-11-29", "2026-11-29 11:58", "2026-11-29T11:58:00+01:00", "yesterday"] {
            let last = ResendPolicy.lastSend(
                of: "100000045", in: [entry("Invoice 100000045 emailed to x@example.com", source: "email", at: odd)] + oldestFirst)
            #expect(last?.timeUnreadable == true && ResendPolicy.isRepeat(last, window: window, now: now), "\(odd)")
        }
        let ahead = LastSend(at: now + 3600, to: nil, by: "the store")
        #expect(ResendPolicy.isRepeat(ahead, window: window, now: now), "a store clock ahead: asked, not skipped")
        #expect(ResendPolicy.ago(now + 3600, now: now) == "ahead of this clock: the clocks differ")
        let ref = OperationReference.make()
        let text = ResendPolicy.note(invoice: "100000045", to: nil, by: "anna", resend: ref, again: false, reason: nil)
        #expect(text.contains("to (no-address) by anna"))
        let read = ResendPolicy.lastSend(of: "100000045", in: [entry(OperationReference.make().marked(text))])
        #expect(read?.by == "anna via Folio" && read?.reference == ref)
    }

    /// The journal counts a resend of unknown outcome (it may have gone
    /// out), at the time it was sent, and not one the store did not send.
    @Test func theJournalCountsWhatMayHaveGoneOut() throws {
        let journal = WriteJournal(
            profile: "p", directory: FileManager.default.temporaryDirectory.appendingPathComponent("j-\(UUID())").path)
        let intent = JournalEntry.Intent(kind: .invoiceEmail, profile: "p", invoiceId: 7, invoiceNumber: "7", summary: [], body: "{}")
        let unknown = OperationReference.make()
        let unsent = OperationReference.make()
        let started = Date(timeIntervalSince1970: 1_800_000_000)
        try journal.begin(intent, reference: unsent, at: started - 100)
        try journal.record(unsent, .done, result: ResendPolicy.notSentResult)
        try journal.begin(intent, reference: unknown, at: started)
        try journal.record(unknown, .unknown, result: "timeout", at: started + 500)
        let last = ResendPolicy.lastSend(ofInvoice: 7, in: try journal.entries())
        #expect(last?.reference == unknown && last?.at == started)
        #expect(last?.by.hasSuffix("(outcome unknown)") == true)
        #expect(ResendPolicy.lastSend(ofInvoice: 8, in: try journal.entries()) == nil)
    }

    @Test func storeTimesAreUTCAndStrict() {
        let date = StoreTime.date("2026-11-29 09:12:30")
        #expect(date == StoreTime.date("2026-11-29T09:12:30Z"))
        #expect(date == StoreTime.date("2026-11-29T09:12:30.250+00:00")?.addingTimeInterval(0))
        #expect(date.map(StoreTime.text) == "2026-11-29 09:12")
        for bad in [
            "", "2026-11-29", "2026-13-01 00:00:00", "2026-11-29 25:00:00", "2026-11-29 09:12:30+02:00", "２０２６-11-29 09:12:30",
            "2026-02-30 09:12:30", " 2026-11-29 09:12:30",
        ] {
            #expect(StoreTime.date(bad) == nil, "\(bad)")
        }
    }

    @Test func reasonsAndClerks() throws {
        #expect(try ResendPolicy.checkedReason("  lost it ") == "lost it")
        #expect(throws: FolioError.self) { try ResendPolicy.checkedReason(" \n") }
        #expect(throws: FolioError.self) { try ResendPolicy.checkedReason("a\u{1B}[2J") }
        #expect(ResendPolicy.clerk(["USER": "anna smith\u{1B}"]) == "annasmith")
        #expect(ResendPolicy.clerk(["FOLIO_CLERK": "desk-3", "USER": "root"]) == "desk-3")
    }
}
