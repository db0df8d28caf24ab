import FolioCore
import FolioTerminal
import Foundation
import Synchronization
import Testing

@testable import FolioTUI

/// A paste is text for the field with the cursor, never keys: a pasted
/// newline cannot open the review, a pasted `y` cannot send, a pasted Tab
/// cannot move the focus, and nothing pasted can quit.
@Suite struct PasteTests {
    static func sends(_ effects: [Effect]) -> Bool {
        effects.contains {
            switch $0 {
            case .createInvoice, .sendEmail, .quit, .search, .loadPage: true
            default: false
            }
        }
    }

    @Test func aPasteIntoTheCreateCommentStaysInTheComment() async throws {
        let order = try StoreFixtures.order123
        var state = CreateTests.picking(order)
        CreateTests.press(&state, .tab, .tab, .tab)
        #expect(state.create?.focus == .comment)
        let before = state.create?.quantities
        let effects = state.update(.paste("\nsee ticket 42\r\ny\tq"))
        #expect(!Self.sends(effects))
        #expect(state.create?.stage == .form, "a pasted newline opened the review")
        #expect(state.create?.focus == .comment, "a pasted Tab moved the focus")
        #expect(state.create?.comment.text == "Invoiced via Folio see ticket 42 y q")
        #expect(state.create?.quantities == before)
    }

    @Test func aPasteOnTheReviewOrThePickerIsIgnoredWithANote() async throws {
        let order = try StoreFixtures.order123
        var state = CreateTests.picking(order)
        let quantities = state.create?.quantities
        // On the picker (items focus), digits and a Tab change nothing.
        #expect(!Self.sends(state.update(.paste("\t1\n"))))
        #expect(state.create?.quantities == quantities && state.create?.focus == .items && state.create?.stage == .form)
        #expect(state.message?.text == "paste ignored: nothing here takes text")
        // On the review, a pasted y or newline sends nothing.
        CreateTests.press(&state, .enter)
        guard case .review = state.create?.stage else {
            Issue.record("no review")
            return
        }
        #expect(!Self.sends(state.update(.paste("y"))))
        #expect(!Self.sends(state.update(.paste("\n"))))
        guard case .review = state.create?.stage else {
            Issue.record("the paste left the review")
            return
        }
    }

    @Test func aPasteIntoSearchNeverQuitsOrSearches() {
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("/")))
        #expect(!Self.sends(state.update(.paste("100000045\nq"))))
        guard let editor = state[SearchPrompt.self]?.editor else {
            Issue.record("the search prompt closed")
            return
        }
        #expect(editor.text == "100000045 q")
        // A pasted Backspace is dropped, not pressed.
        _ = state.update(.paste("\u{8}"))
        guard let kept = state[SearchPrompt.self]?.editor else {
            Issue.record("closed")
            return
        }
        #expect(kept.text == "100000045 q", "control characters other than newline and tab are dropped")
    }

    @Test func aPasteOnTheListIsIgnored() {
        var state = Fixtures.loaded()
        for text in ["q", "\n", "\u{1B}", "c"] {
            #expect(!Self.sends(state.update(.paste(text))), "paste \(text.debugDescription)")
            #expect(state.dialog == nil && state.create == nil)
        }
        #expect(state.message?.text == "paste ignored: nothing here takes text")
    }

    @Test func aPasteIntoTheEmailCommentAndTheDatesIsText() {
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("e")))
        #expect(!Self.sends(state.update(.paste("call back\nmonday"))))
        guard let dialog = state[EmailDialog.self] else {
            Issue.record("the dialog closed")
            return
        }
        #expect(dialog.comment.text == "call back monday" && dialog.sending == nil)
        _ = state.update(.key(.escape))
        _ = state.update(.key(.character("d")))
        _ = state.update(.paste("2026-11-01\n"))
        guard let dates = state[DateRangeDialog.self] else {
            Issue.record("the dates dialog closed")
            return
        }
        #expect(dates.selected == .typed && dates.from.text == "2026-11-01")
    }

    @Test func theLoopTakesAPasteFromTheTerminalAsText() async throws {
        let terminal = MemoryTerminal(width: 80, height: 24)
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("/")))
        let program = Program(terminal: terminal, state: state, runner: nil)
        // The loop on a thread started here, not from a task: while other tests keep the few
        // cooperative threads busy, a task might not start in time to run it.
        let status = Mutex<Int32?>(nil)
        Thread {
            let code = program.run()
            status.withLock { $0 = code }
        }.start()
        terminal.paste("45\nq")
        program.send(.tick)  // wakes the loop, which then reads the terminal
        let deadline = ContinuousClock.now + .seconds(20)
        while !terminal.frame.text.contains("number, email or name: 45 q") {
            guard ContinuousClock.now < deadline else {
                Issue.record("no paste on screen:\n\(terminal.frame.text)")
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        program.send(.key(.escape))
        program.send(.key(.character("q")))
        let quit = ContinuousClock.now + .seconds(20)
        while status.withLock({ $0 }) == nil, ContinuousClock.now < quit { try await Task.sleep(for: .milliseconds(10)) }
        #expect(status.withLock { $0 } == 0)
    }
}
