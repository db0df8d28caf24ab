import FolioCore
import FolioTerminal
import Testing

@testable import FolioTUI

/// The list screen drawn into an in-memory canvas, at the sizes clerks use.
@Suite struct ListRenderTests {
    @Test(arguments: [(80, 24), (40, 12), (200, 60)])
    func listAtSize(width: Int, height: Int) throws {
        let state = Fixtures.loaded(width: width, height: height)
        try expectSnapshot(state.render(), "list-\(width)x\(height)")
    }

    /// The selected row, the state badges, the muted "no" of an unsent
    /// email, the header and the status bar, as a style layer.
    @Test func selectionStateAndMutedStyles() throws {
        var state = Fixtures.loaded()
        _ = state.update(.key(.down))
        let canvas = state.render()
        try expectStyledSnapshot(canvas, "list-selected-80x24")
        // The layer itself can fail: the selected row is selection from edge to edge.
        let layer = styleLayer(canvas, theme: state.look.theme).split(separator: "\n")
        #expect(layer[3] == Substring(String(repeating: "S", count: 80)))
        #expect(layer[2].contains("pppp") && layer[4].contains("cccccccc") && layer[4].contains("MM"))
    }

    @Test(arguments: [80, 81, 120])
    func wideNamesAreCutWholeWithAnEllipsis(width: Int) {
        let canvas = Fixtures.loaded(width: width).render()
        #expect(canvas.row(3).contains("山田"))
        #expect(canvas.row(4).contains("Maximilian-"))
        #expect(canvas.row(4).contains("…"))
        // Every row is exactly as wide as the screen: no wide character was split.
        for y in 0..<24 { #expect(TextWidth.of(canvas.row(y)) == width) }
    }

    @Test(arguments: [40, 80, 200])
    func amountsAreNeverCut(width: Int) {
        let canvas = Fixtures.loaded(width: width).render()
        #expect(canvas.row(4).contains("$1,234,567.50"))
    }

    @Test func errorLineAndSpinner() {
        var state = Fixtures.loaded()
        let effects = state.update(.key(.character("s")))
        var canvas = state.render()
        let frames = state.look.glyphs.spinner
        #expect(canvas.row(23).contains("\(frames[state.spinner % frames.count]) loading…"))
        // The clock turns the spinner while the page is out.
        _ = state.update(.tick)
        #expect(state.render().row(23).contains("\(frames[state.spinner % frames.count]) loading…") && frames.count > 1)
        #expect(state.render().row(23) != canvas.row(23))
        let request = Fixtures.loadRequest(effects)!.request
        _ = state.update(.pageLoaded(request: request, .failure(.unavailable)))
        canvas = state.render()
        #expect(canvas.row(23).contains("R to retry"))
        #expect(canvas[1, 23].style == state.look.theme[.error])
        // The filter asked for stays in the header; no row of the old filter stays under it.
        #expect(canvas.row(0).contains("state: open"))
        #expect(!canvas.text.contains("100000045"))
        #expect(canvas.row(3).contains("no invoices loaded — R to retry"))
    }

    @Test func tooSmallSaysWhatItNeeds() {
        var state = Fixtures.loaded(width: 80, height: 24)
        _ = state.update(.resize(width: 29, height: 7))
        #expect(state.render().text.contains("(need 30×8)"))
        _ = state.update(.resize(width: 80, height: 24))
        #expect(state.render().row(0).contains("Folio"))
    }

    @Test func overlaysAtEightyByTwentyFour() throws {
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("?")))
        try expectSnapshot(state.render(), "help-80x24")
        _ = state.update(.key(.escape))
        _ = state.update(.key(.character("d")))
        try expectSnapshot(state.render(), "dates-80x24")
        _ = state.update(.key(.escape))
        _ = state.update(.key(.character("/")))
        for c in "1000" { _ = state.update(.key(.character(c))) }
        let canvas = state.render()
        #expect(canvas.row(23).hasPrefix("number, email or name: 1000"))
        #expect(canvas.cursor?.y == 23)
        #expect(canvas.cursor?.x == TextWidth.of("number, email or name: 1000"))
    }

    @Test func asciiGlyphsInACLocale() {
        let state = Fixtures.loaded(look: Look(glyphs: .ascii))
        let text = state.render().text
        #expect(text.contains("Folio | shop |"))
        #expect(text.contains("sort: created v"))
        #expect(!text.contains("…"))
    }
}
