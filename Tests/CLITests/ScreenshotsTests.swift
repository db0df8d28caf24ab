import FolioTestSupport
import Foundation
import Testing

/// The README's screenshots still show today's program: each PNG in
/// `screenshots/` was painted from a capture whose text is kept beside it,
/// and this drives the real binary through the same steps as
/// `scripts/screenshots.sh` (same seed, window, terminal and locale) and
/// compares the text. When it fails, run the script and commit the result.
@Suite(.needsTmux) struct ScreenshotsTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("screenshots")

    @Test func everyScreenshotShowsWhatTheProgramShowsToday() async throws {
        let host = ProcessInfo.processInfo.hostName
        let themes = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasPrefix("list-") && $0.hasSuffix(".txt") }
            .map { String($0.dropFirst("list-".count).dropLast(".txt".count)) }
        #expect(!themes.isEmpty)
        // The store of `folio serve --seed 150 --seed-random 1`.
        try await TestServer.with(orders: 150, seed: 1, tokens: [CLITests.token]) { server in
            func session(_ arguments: [String] = [], _ body: (TmuxSession) async throws -> Void) async throws {
                try await TmuxSession.run(
                    server: server, arguments: arguments, width: 120, height: 32,
                    environment: ["USER": "clerk"]
                ) { tui in
                    try await tui.waitFor("page 1/")
                    try await body(tui)
                }
            }
            func expectShot(_ name: String, _ tui: TmuxSession) async throws {
                let committed = try String(contentsOf: Self.folder.appendingPathComponent("\(name).txt"), encoding: .utf8)
                // Waits out a paint in progress; a real difference fails, showing the screen of today.
                let today = try? await tui.waitFor("screenshots/\(name).txt", timeout: .seconds(5)) { screen in
                    screen.replacingOccurrences(of: "@\(host)", with: "@HOST") == committed
                }
                if today == nil {
                    Issue.record("screenshots/\(name).txt is out of date: run bash scripts/screenshots.sh")
                }
            }

            try await session { tui in
                try await expectShot("list", tui)
                try await tui.search("100000045")
                // Its only row (the list, newest first, starts with it before the search lands).
                try await tui.waitFor("the search's one row") { TmuxSession.invoiceRows($0).map { $0.prefix(9) } == ["100000045"] }
                try await tui.keys("Enter")
                try await tui.waitFor("Invoice 100000045")
                try await expectShot("detail", tui)
                try await tui.keys("R")
                try await tui.waitFor("Refund total")
                try await tui.keys("1", "Tab", "C-t", "Enter")
                try await tui.waitFor("total to refund")
                try await expectShot("refund", tui)
                try await tui.keys("Escape", "Escape")
                try await tui.waitFor("Invoice 100000045")
                try await tui.keys("Escape", "Escape")
                try await tui.waitFor("all invoices")
                try await tui.openCreate(order: "100000123")
                try await expectShot("create", tui)
            }
            for theme in themes {
                try await session(["--theme", theme]) { try await expectShot("list-\(theme)", $0) }
            }
        }
    }
}
