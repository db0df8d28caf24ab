import FolioServer
import FolioTestSupport
import Foundation
import Testing

@testable import FolioTUI

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The real `folio` binary in a real terminal (tmux) against the reference
/// server: what a clerk sees, read back with `capture-pane`, always by
/// polling for the expected screen with a deadline.
@Suite(.serialized, .needsTmux) struct TerminalEndToEndTests {
    static func withSession(
        width: Int = 100, height: Int = 30, arguments: [String] = [], environment: [String: String] = [:],
        jobControl: Bool = false,
        _ body: (TmuxSession) async throws -> Void
    ) async throws {
        try await CLITests.withServer { server in
            try await TmuxSession.run(
                server: server, arguments: arguments, width: width, height: height,
                environment: environment, jobControl: jobControl, body)
        }
    }

    static func rows(_ screen: String, allSay state: String) -> Bool {
        let rows = screen.split(separator: "\n").dropFirst(2).filter { $0.hasPrefix("1000") }
        return !rows.isEmpty && rows.allSatisfy { $0.contains(" \(state) ") }
    }

    @Test func openPageFilterSearchResizeHelpQuit() async throws {
        try await Self.withSession { tui in
            try await tui.waitFor("page 1/")
            try await tui.press(.nextPage, in: ListState.keymap)
            try await tui.waitFor("page 2/")
            try await tui.press(.cycleState, in: ListState.keymap)
            try await tui.waitFor("state: open and its rows") { $0.contains("state: open") && Self.rows($0, allSay: "open") }

            try await tui.search("100000045")
            try await tui.waitFor("the invoice found") { $0.contains("invoice 100000045") && $0.contains("page 1/1") }

            try await tui.resize(40, 12)
            try await tui.waitFor("the narrow layout") { screen in
                let lines = screen.split(separator: "\n")
                return lines.count <= 12 && lines.allSatisfy { $0.count <= 40 } && lines.contains { $0.hasPrefix("100000045") }
                    && lines.first?.contains("1/1 · 1") == true
            }
            try await tui.resize(24, 6)
            try await tui.waitFor("terminal too small")
            try await tui.resize(100, 30)
            try await tui.waitFor("the wide layout again") { $0.contains("page 1/1 · 1 invoice") && $0.contains("Bill-to") }

            try await tui.press(.help)
            try await tui.waitFor("Invoices — keys")
            try await tui.press(.close, in: HelpState.keymap)
            try await tui.waitFor("help closed") { !$0.contains("Invoices — keys") }

            // Esc clears the search (back to the open filter) and never quits; q quits.
            try await tui.press(.cancel, in: ListState.keymap)
            try await tui.waitFor("the filters back") { $0.contains("state: open") && !$0.contains("invoice 100000045") }
            // A second Esc does nothing: Folio still reads keys after it.
            try await tui.press(.cancel, in: ListState.keymap)
            try await tui.press(.help)
            try await tui.waitFor("Invoices — keys")
            try await tui.press(.close, in: HelpState.keymap)
            try await tui.waitFor("help closed, filters kept") { !$0.contains("Invoices — keys") && $0.contains("state: open") }
            try await tui.press(.quit, in: ListState.keymap)
            #expect(try await tui.exitStatus() == 0)
            try await tui.expectTerminalRestored()
        }
    }

    @Test(arguments: [("INT", Int32(130)), ("TERM", 143), ("HUP", 129), ("QUIT", 131), ("USR1", 138)])
    func signalsExitPromptlyAndRestoreTheTerminal(signal: String, status: Int32) async throws {
        try await Self.withSession { tui in
            try await tui.waitFor("page 1/")
            let pid = try await tui.folioPID()
            _ = try await Shell.run("/bin/kill", ["-\(signal)", "\(pid)"])
            #expect(try await tui.exitStatus(timeout: .seconds(3)) == status)
            try await tui.expectTerminalRestored()
        }
    }

    @Test func ctrlZSuspendsAndContinuingRepaintsEverything() async throws {
        try await Self.withSession(jobControl: true) { tui in
            try await tui.waitFor("page 1/")
            try await tui.keys("C-z")
            // Stopped, with the terminal handed back to the shell.
            try await tui.waitFor("Stopped")
            #expect(try await tui.tmux("display-message", "-p", "#{alternate_on}").hasPrefix("0"))
            try await tui.type("fg")
            try await tui.keys("Enter")
            try await tui.waitFor("the list repainted") { $0.contains("page 1/") && $0.contains("Bill-to") && !$0.contains("Stopped") }
            try await tui.keys("j", "q")
            #expect(try await tui.exitStatus() == 0)
            try await tui.expectTerminalRestored()
        }
    }

    @Test func anUnknownTermFallsBackWithANote() async throws {
        try await Self.withSession(environment: ["TERM": "no-such-terminal"]) { tui in
            try await tui.waitFor("no terminfo entry for TERM=no-such-terminal; using xterm")
            try await tui.waitFor("page 1/")
            try await tui.keys("q")
            #expect(try await tui.exitStatus() == 0)
        }
    }

    @Test func aCrashStillGivesTheTerminalBack() async throws {
        // Folio's handler restores the terminal, then hands the signal on. The
        // Swift runtime's backtracer would be next; it is switched off here so
        // that the default action ends the process (its wait for the
        // backtrace helper is the runtime's business, not Folio's).
        try await Self.withSession(arguments: ["--mouse"], environment: ["SWIFT_BACKTRACE": "enable=no"]) { tui in
            try await tui.waitFor("page 1/")
            // Keypad mode and mouse tracking are on: the crash must turn them off too.
            let on = try await tui.modesOn()
            #expect(on.contains("keypad_flag"), "\(on)")
            #expect(!on.isDisjoint(with: ["mouse_any_flag", "mouse_button_flag", "mouse_standard_flag"]), "\(on)")
            let pid = try await tui.folioPID()
            _ = try await Shell.run("/bin/kill", ["-SEGV", "\(pid)"])
            // Died of the signal (128 + 11), after restoring the terminal.
            #expect(try await tui.exitStatus(timeout: .seconds(20)) == 139)
            try await tui.expectTerminalRestored()
        }
    }

    @Test func demoSeedsOnceThenStartsFromItsCache() async throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("folio-demo-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: cache) }
        for run in 1...2 {
            try await TmuxSession.run(
                server: nil, arguments: ["demo", "--orders", "60"],
                environment: ["XDG_CACHE_HOME": cache.path]
            ) { tui in
                try await tui.waitFor("the demo's list") { $0.contains("Folio · demo") && $0.contains("page 1/") }
                let screen = try await tui.screen()
                // Server logs go to the file, never onto the screen.
                #expect(!screen.contains("info") && !screen.contains("listening"))
                try await tui.keys("q")
                #expect(try await tui.exitStatus() == 0)
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: cache.path + "/folio")
            #expect(files.contains("demo-60.sqlite") && files.contains("demo-60.sqlite.ready"), "run \(run): \(files)")
            let log = try String(contentsOfFile: cache.path + "/folio/demo.log", encoding: .utf8)
            let lines = log.split(separator: "\n")
            #expect(lines.filter { $0.contains("Server started") }.count == run)
            // The data is made once; the second start reuses it.
            #expect(lines.filter { $0.contains("seeded 60 sample orders") }.count == 1)
        }
    }

    @Test func withMouseAClickPicksARow() async throws {
        try await Self.withSession(arguments: ["--mouse"]) { tui in
            try await tui.waitFor("page 1/")
            // An SGR mouse press and release on screen row 6 (1-based): the fourth invoice.
            try await tui.type("\u{1B}[<0;5;6M\u{1B}[<0;5;6m")
            // The default theme's selection has a cyan background (SGR 46).
            try await tui.waitFor("the fourth row selected", colours: true) { screen in
                let lines = screen.components(separatedBy: "\n")
                return lines.count > 5 && lines[5].contains("46m") && !lines[2].contains("46m")
            }
            try await tui.keys("q")
            #expect(try await tui.exitStatus() == 0)
        }
    }

    @Test func openAnInvoiceResendItsEmailOnceThenMeetTheSMTPFault() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            let admin = try await store.json("/api/admin/invoices/456")
            let grandTotal = try #require(admin["formattedGrandTotal"] as? String)
            let sentBefore = try await store.outbox(invoice: 456).count
            try await TmuxSession.run(server: server) { tui in
                try await tui.waitFor("page 1/")
                try await tui.search("100000045")
                try await tui.waitFor("the invoice listed") { $0.contains("invoice 100000045") && $0.contains("page 1/1") }
                try await tui.keys("Enter")
                try await tui.waitFor("Invoice 100000045")
                try await tui.keys("G")
                // The grand total on screen is the server's, to the cent.
                try await tui.waitFor("the grand total") { screen in
                    screen.split(separator: "\n").contains { $0.contains("Grand total") && $0.contains(grandTotal) }
                }

                // The order, read-only, and back.
                try await tui.keys("o")
                try await tui.waitFor("the order") { $0.contains("Order 100000044") && $0.contains("Remaining") }
                try await tui.keys("Escape")
                try await tui.waitFor("the invoice again") { $0.contains("Grand total") && !$0.contains("Remaining") }

                // Resend, with the confirm key pressed twice in a row: one email.
                try await tui.keys("e")
                try await tui.waitFor("Resend the email of invoice 100000045")
                try await tui.type("on the phone with the customer")
                try await tui.tmux("send-keys", "Enter", "Enter")
                try await tui.waitFor("email of invoice 100000045 sent")
                let sent = try await store.outbox(invoice: 456)
                #expect(sent.count == sentBefore + 1)
                let comment = sent.last?["comment"] as? String ?? ""
                #expect(
                    comment.hasPrefix("[folio-op ") && comment.hasSuffix("] on the phone with the customer"),
                    "the reference, then the clerk's words: \(comment)")

                // The SMTP fault: the error in words, the dialog kept, no email.
                try await store.post("/sandbox/faults", #"{"smtp_failing": true}"#)
                try await tui.keys("e")
                try await tui.waitFor("Resend the email of invoice 100000045")
                try await tui.type("again")
                try await tui.keys("Enter")
                // Sent a moment ago: it asks why before anything goes.
                try await tui.waitFor("It went out")
                #expect(try await tui.screen().contains(" via Folio"), "the last send names its clerk")
                try await tui.type("the customer asked twice")
                try await tui.keys("Enter")
                try await tui.waitFor("Email could not be sent")
                #expect(try await tui.screen().contains("comment: again"))
                #expect(try await store.outbox(invoice: 456).count == sentBefore + 1)
                try await tui.keys("Escape", "Escape", "q", "q")
                #expect(try await tui.exitStatus() == 0)
            }
        }
    }

    @Test func partialCaptureOfOneUnitChangesExactlyThatItem() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            let before = try await store.orderItems("100000123")
            try await TmuxSession.run(server: server) { tui in
                try await tui.waitFor("page 1/")
                try await tui.openCreate(order: "100000123")
                // None of anything, then one PRODUCT-001, no capture.
                try await tui.keys("x", "j", "1", "Tab", "Right", "Right")
                try await tui.waitFor("no capture chosen") { $0.contains("[no capture]") }
                try await tui.keys("Enter")
                try await tui.waitFor("Review — this is what will be sent")
                #expect(try await tui.screen().contains("PRODUCT-001  Classic Cotton T-Shirt  × 1"))
                try await tui.keys("y")
                try await tui.waitFor("done · invoice")
                let after = try await store.orderItems("100000123")
                for (sku, qty) in before {
                    #expect(after[sku] == qty + (sku == "PRODUCT-001" ? 1 : 0), "\(sku): \(qty) → \(after[sku] ?? -1)")
                }
                let invoices = try await store.invoices("order_increment_id=100000123")
                #expect(invoices.count == 1)
                #expect("\(invoices.first?["state"] ?? "")" == "1", "a no_capture invoice stays open")
                try await tui.keys("Escape", "q")
                #expect(try await tui.exitStatus() == 0)
            }
        }
    }

    @Test func aFullOfflineCaptureOfAnOrderPickedFromTheList() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            let answer = try await store.json("/api2/order?can_invoice=1&limit=20&page=1")
            let orders = (answer["orders"] ?? answer["data"] ?? answer["items"]) as? [[String: Any]] ?? []
            let index = try #require(orders.firstIndex { "\($0["increment_id"] ?? "")" != "100000123" })
            let number = "\(orders[index]["increment_id"]!)"
            try await TmuxSession.run(server: server) { tui in
                try await tui.waitFor("page 1/")
                try await tui.keys("c")
                try await tui.waitFor("Orders that can still be invoiced")
                for _ in 0...index { try await tui.keys("Down") }
                try await tui.keys("Enter")
                try await tui.waitFor("the picker of order \(number)") { $0.contains("Order \(number)") && $0.contains("To invoice") }
                try await tui.keys("Enter")
                try await tui.waitFor("Review — this is what will be sent")
                #expect(try await tui.screen().contains("all remaining items (full capture)"))
                #expect(try await tui.screen().contains("capture: offline"))
                try await tui.keys("y")
                try await tui.waitFor("done · invoice")
                let left = try await store.orderItems(number, field: "qty_to_invoice")
                #expect(!left.isEmpty && left.values.allSatisfy { $0 == 0 }, "order \(number) still has \(left)")
                let invoices = try await store.invoices("order_increment_id=\(number)&sort=entity_id&direction=desc")
                #expect("\(invoices.first?["state"] ?? "")" == "2", "an offline capture is paid")
            }
        }
    }

    @Test func onlineCaptureOnCheckmoShowsTheGatewayErrorAndSavesNothing() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            try await TmuxSession.run(server: server) { tui in
                try await tui.waitFor("page 1/")
                try await tui.openCreate(order: "100000123")
                try await tui.keys("Tab", "Right")
                try await tui.waitFor("the gateway warning") { $0.contains("the gateway decides") }
                try await tui.keys("Enter")
                try await tui.waitFor("Review — this is what will be sent")
                try await tui.keys("Enter")
                try await tui.waitFor("the gateway's refusal") { $0.contains("refused online capture; nothing was saved") }
                let screen = try await tui.screen()
                #expect(!screen.contains("done · invoice"))
                let invoices = try await store.invoices("order_increment_id=100000123")
                #expect(invoices.isEmpty, "the server saved an invoice")
                #expect(try await store.orderItems("100000123").values.allSatisfy { $0 == 0 })
            }
        }
    }

    @Test func aDroppedAnswerAfterCommitStillEndsInExactlyOneInvoice() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            try await store.post("/sandbox/faults", #"{"drop_after_create": true}"#)
            try await TmuxSession.run(server: server) { tui in
                try await tui.waitFor("page 1/")
                try await tui.openReview(order: "100000123")
                try await tui.keys("Enter")
                try await tui.waitFor("done, confirmed by its reference") {
                    $0.contains("done · invoice") && $0.contains("by its reference")
                }
                let invoices = try await store.invoices("order_increment_id=100000123")
                #expect(invoices.count == 1)
                // A full capture: nothing is left on the order.
                let items = try await store.orderItems("100000123", field: "qty_to_invoice")
                #expect(items.values.allSatisfy { $0 == 0 })
            }
        }
    }

    @Test func ctrlCFromTheKeyboard() async throws {
        try await Self.withSession { tui in
            try await tui.waitFor("page 1/")
            try await tui.keys("C-c")
            #expect(try await tui.exitStatus() == 130)
            try await tui.expectTerminalRestored()
        }
    }
}
