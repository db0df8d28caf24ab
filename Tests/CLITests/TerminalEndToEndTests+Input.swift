import Testing

/// What reaches the real binary from the keyboard and the terminal in tmux:
/// Ctrl-\, and a terminal that cannot place text.
extension TerminalEndToEndTests {
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
}
