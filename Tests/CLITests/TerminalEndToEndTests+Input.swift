import Testing

/// What reaches the real binary from the keyboard and the terminal in tmux.
extension TerminalEndToEndTests {
    @Test func ctrlBackslashQuitsAndGivesTheTerminalBack() async throws {
        try await Self.withSession { tui in
            try await tui.waitFor("page 1/")
            try await tui.keys("C-\\")
            #expect(try await tui.exitStatus(timeout: .seconds(5)) == 131)
            try await tui.expectTerminalRestored()
        }
    }
}
