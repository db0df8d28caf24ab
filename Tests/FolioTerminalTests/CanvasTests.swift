import Testing

@testable import FolioTerminal

/// The cell grid screens draw into, and the text measurements under it.
@Suite struct CanvasTests {
    @Test func widthsOfLatinCJKEmojiAndCombiningMarks() {
        #expect(TextWidth.of("Costello") == 8)
        #expect(TextWidth.of("山田 太郎") == 9)
        #expect(TextWidth.of("김민준") == 6)
        #expect(TextWidth.of("e\u{301}") == 1, "e + combining acute is one column")
        #expect(TextWidth.of("👍") == 2)
        #expect(TextWidth.of("👨‍👩‍👧") == 2, "a family emoji is one glyph")
        #expect(TextWidth.of("Zoë Faßbender") == 13)
    }

    @Test func truncationNeverSplitsAWideCharacter() {
        #expect(TextWidth.truncate("Costello", to: 5) == "Cost…")
        #expect(TextWidth.truncate("山田太郎", to: 5) == "山田…")
        #expect(TextWidth.of(TextWidth.truncate("山田太郎", to: 4)) <= 4)
        #expect(TextWidth.truncate("short", to: 10) == "short")
        #expect(TextWidth.pad("山田", to: 6) == "山田  ")
        #expect(TextWidth.pad("1.00", to: 6, alignRight: true) == "  1.00")
    }

    @Test func textIsClippedAndWideCharactersKeepTheirContinuation() {
        var canvas = Canvas(width: 10, height: 2)
        #expect(canvas.text("山田 太郎さん", x: 0, y: 0) == 10)
        #expect(canvas.row(0) == "山田 太郎 ", "さ would straddle the edge: a space instead of half a glyph")
        #expect(canvas[1, 0].isContinuation)
        canvas.text("abc", x: 1, y: 0)
        #expect(canvas.row(0).hasPrefix(" abc"), "overwriting half of 山 blanks the other half")
        #expect(canvas.text("overflowing", x: 7, y: 1) == 3)
        #expect(canvas.row(1) == "       ove")
        #expect(canvas.text("x", x: 0, y: 5) == 0, "outside the canvas draws nothing")
    }

    @Test func aLimitStopsTextBeforeTheNextColumn() {
        var canvas = Canvas(width: 20, height: 1)
        canvas.text("abcdef", x: 2, y: 0, limit: 3)
        canvas.text("|", x: 5, y: 0)
        #expect(canvas.text == "  abc|")
    }

    @Test func changesAreOnlyTheCellsThatDiffer() {
        var a = Canvas(width: 8, height: 3)
        a.text("hello", x: 0, y: 1)
        var b = a
        b.text("J", x: 0, y: 1)
        b.restyle(Rect(x: 4, y: 2, width: 2, height: 1)) { $0.attributes.insert(.reverse) }
        #expect(b.changes(since: a).map { [$0.x, $0.y] } == [[0, 1], [4, 2], [5, 2]])
        #expect(b.changes(since: nil).count == 24)
        #expect(b.changes(since: Canvas(width: 4, height: 3)).count == 24, "a resize repaints everything")
        // A wide character is one change, at its left cell.
        var c = b
        c.text("山", x: 2, y: 0)
        #expect(c.changes(since: b).map { [$0.x, $0.y] } == [[2, 0]])
    }

    @Test func narrowTerminalsDropTheLeastImportantColumnsFirst() {
        let layout = ColumnLayout(
            [
                .init(minimum: 9, priority: 0),  // invoice #
                .init(minimum: 9, priority: 2),  // order #
                .init(minimum: 8, priority: 1),  // state
                .init(minimum: 10, maximum: 40, flex: 1, priority: 3),  // bill-to name
                .init(minimum: 10, maximum: 14, flex: 1, priority: 0, alignRight: true),  // total
            ], gap: 1)
        let wide = layout.widths(in: 120)
        #expect(wide == [9, 9, 8, 40, 14], "flexible columns grow to their maximum")
        let narrow = layout.widths(in: 40)
        #expect(narrow[3] == nil && narrow[1] != nil, "the name goes first (priority 3)")
        let tiny = layout.widths(in: 22)
        #expect(tiny == [9, nil, nil, nil, 12], "the spare two columns go to the flexible total")
        let used = layout.widths(in: 60).compactMap { $0 }
        #expect(used.reduce(0, +) + (used.count - 1) <= 60)
    }
}

/// Flags are pairs of regional indicators; a lone one must not shift what follows.
@Suite struct RegionalIndicatorTests {
    @Test func aFlagIsTwoColumnsALoneIndicatorOne() {
        #expect(TextWidth.of("🇩🇪") == 2)
        #expect(TextWidth.of("🇩") == 1)
        #expect(TextWidth.of("a🇩b") == 3)
        #expect(TextWidth.of("🇩🇪🇫") == 3, "a flag, then a lone indicator")
        #expect(TextWidth.regionalLetter("🇩") == "D")
        #expect(TextWidth.regionalLetter("a") == nil)
    }

    @Test func textAfterALoneIndicatorStaysInItsColumn() {
        var canvas = Canvas(width: 10, height: 1)
        canvas.text("a🇩b", x: 0, y: 0)
        #expect(canvas[2, 0].character == "b")
        canvas.text("🇩🇪xy", x: 0, y: 0)
        #expect(canvas[1, 0].isContinuation && canvas[2, 0].character == "x")
    }
}
