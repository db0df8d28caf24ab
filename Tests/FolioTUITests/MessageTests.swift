import FolioCore
import FolioTerminal
import Testing

@testable import FolioTUI

/// A message longer than the status line can be read whole: the line says
/// `m: all`, and `m` shows every word of it, wrapped.
@Suite struct MessageTests {
    static let long =
        "the store refused the request: " + (1...30).map { "reason\($0)" }.joined(separator: " ")
        + " https://example.com/a/very/long/path/that/is/longer/than/any/line/of/the/dialog/at/all"

    @Test func aCutErrorSaysHowToReadItAndMShowsItWhole() {
        var state = Fixtures.loaded(width: 60, height: 20)
        state.message = StatusMessage(.error, Self.long)
        let bar = state.render().row(19)
        #expect(bar.hasSuffix(" m: all "), "\(bar)")
        _ = state.update(.key(.character("m")))
        guard state[MessageDialog.self] != nil else {
            Issue.record("no dialog")
            return
        }
        // Scroll through it: every word of the message is seen, none cut at the edge.
        var seen = ""
        for _ in 0..<20 {
            seen += state.render().text
            _ = state.update(.key(.down))
        }
        for word in Self.long.split(separator: " ") where !word.hasPrefix("https") {
            #expect(seen.contains(word), "“\(word)” never shown")
        }
        // The long URL is cut across lines, each piece within the dialog, and every piece is on screen.
        let url = String(Self.long.split(separator: " ").last!)
        let pieces = MessageDialog.wrap(url, width: 56)
        #expect(pieces.count > 1 && pieces.allSatisfy { TextWidth.of($0) <= 56 } && pieces.joined() == url)
        for piece in pieces { #expect(seen.contains(piece), "“\(piece)” never shown") }
        _ = state.update(.key(.escape))
        #expect(state.dialog == nil)
        #expect(state.message?.text == Self.long, "the error stays until mended")
    }

    @Test func wrappingKeepsEveryLineWithinTheWidthAndEveryCharacter() {
        for width in [1, 5, 13, 40] {
            let lines = MessageDialog.wrap("山田 太郎 " + Self.long, width: width)
            #expect(lines.allSatisfy { TextWidth.of($0) <= max(width, 2) })
            #expect(lines.joined().filter { $0 != " " } == ("山田 太郎 " + Self.long).filter { $0 != " " })
        }
    }

    @Test func withNothingToShowMSaysSoAndAShortMessageHasNoHint() {
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("m")))
        #expect(state.dialog == nil && state.message?.text == "no message to show")
        state.message = StatusMessage(.error, "short")
        #expect(!state.render().row(23).contains("m: all"))
    }
}
