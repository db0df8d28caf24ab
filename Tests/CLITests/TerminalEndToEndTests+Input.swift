import FolioServer
import FolioTestSupport
import Foundation
import Testing

/// What reaches the real binary from the keyboard and the terminal in tmux:
/// pastes, Ctrl-\, a terminal that cannot place text, and flags.
extension TerminalEndToEndTests {
    @Test func aPasteIsTextAndNeverConfirmsSendsOrQuits() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            try await TmuxSession.run(server: server) { tui in
                try await tui.waitFor("page 1/")
                // On the list nothing takes text: the paste is dropped, with a note, and q in it does not quit.
                try await tui.paste("q")
                try await tui.waitFor("paste ignored")

                // Into the search prompt: the newline is a space, and nothing is looked up.
                try await tui.keys("/")
                try await tui.waitFor("the search prompt") { $0.contains("number, email or name:") }
                try await tui.paste("100000045\nq")
                try await tui.waitFor("number, email or name: 100000045 q")
                try await tui.keys("Escape")
                try await tui.waitFor("the prompt closed") { !$0.contains("number, email or name:") }

                // Into the create comment: no review opens, no Tab moves the focus, nothing is sent.
                try await tui.openCreate(order: "100000123")
                try await tui.keys("Tab", "Tab", "Tab")
                try await tui.paste("\nsee ticket 42\ty\n")
                try await tui.waitFor("the pasted comment") { $0.contains("see ticket 42 y") }
                let screen = try await tui.screen()
                #expect(!screen.contains("Review"), "a pasted newline opened the review:\n\(screen)")
                let invoices = try await store.invoices("order_increment_id=100000123")
                #expect(invoices.isEmpty, "a paste sent an invoice")

                try await tui.keys("Escape", "q")
                #expect(try await tui.exitStatus() == 0)
                try await tui.expectTerminalRestored()
            }
        }
    }

    @Test func ctrlBackslashQuitsAndGivesTheTerminalBack() async throws {
        try await Self.withSession { tui in
            try await tui.waitFor("page 1/")
            try await tui.keys("C-\\")
            #expect(try await tui.exitStatus(timeout: .seconds(5)) == 131)
            try await tui.expectTerminalRestored()
        }
    }

    @Test func aTerminalThatCannotPlaceTextIsRefusedInOneLine() async throws {
        try await Self.withSession(environment: ["TERM": "dumb"]) { tui in
            #expect(try await tui.exitStatus() == 2)
            // Joined, as the line was written (the pane wraps it).
            let joined = try await tui.tmux("capture-pane", "-p", "-J")
            let lines = joined.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            #expect(lines.count == 1, "\(lines)")
            #expect(lines.first?.hasPrefix("folio: TERM=dumb cannot place text on the screen") == true, "\(lines)")
            try await tui.expectTerminalRestored()
        }
    }

    @Test func aFlagAndALoneRegionalIndicatorLeaveWhatFollowsInPlace() async throws {
        try await Self.withSession { tui in
            try await tui.waitFor("page 1/")
            try await tui.keys("/")
            try await tui.waitFor("the search prompt") { $0.contains("number, email or name:") }
            let prompt = "number, email or name: ".count
            // A flag is two columns, drawn whole; the cursor after it is where the text ends.
            try await tui.type("🇩🇪xyz")
            try await tui.waitFor("number, email or name: 🇩🇪xyz")
            #expect(try await tui.cursorColumn() == prompt + 5)
            // A lone indicator is drawn as its letter, in one column.
            try await tui.keys("C-u")
            try await tui.type("🇩xyz")
            try await tui.waitFor("number, email or name: Dxyz")
            #expect(try await tui.cursorColumn() == prompt + 4)
            try await tui.keys("Escape", "q")
            #expect(try await tui.exitStatus() == 0)
        }
    }

    /// A password manager asks on the terminal before Folio takes it: the
    /// prompt is on the shell's screen (not the alternate one), what is typed
    /// goes to the command, and the list then loads with the token it printed.
    @Test func aTokenCommandAsksBeforeTheInterfaceTakesTheScreen() async throws {
        let command =
            "printf \"Passphrase for shop: \" >/dev/tty; read answer </dev/tty; "
            + "[ \"$answer\" = opensesame ] && echo \(CLITests.token)"
        try await Self.withSession(environment: ["FOLIO_TOKEN": "", "FOLIO_TOKEN_COMMAND": command]) { tui in
            try await tui.waitFor("Passphrase for shop:")
            #expect(try await tui.modesOn().contains("alternate_on") == false, "the prompt is asked on the shell's screen")
            try await tui.type("opensesame")
            try await tui.keys("Enter")
            try await tui.waitFor("page 1/")
            try await tui.keys("q")
            #expect(try await tui.exitStatus() == 0)
        }
    }
}

extension TmuxSession {
    /// Where the pane's cursor is, as tmux counts columns.
    func cursorColumn() async throws -> Int {
        Int(try await tmux("display-message", "-p", "#{cursor_x}").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
