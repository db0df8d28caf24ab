import FolioTerminal
import Testing

@testable import FolioTUI

@Suite struct LineEditorTests {
    @Test func editingKeys() {
        var e = LineEditor(prompt: "> ")
        for c in "héllo 世界" {
            let handled = e.handle(.character(c))
            #expect(handled)
        }
        #expect(e.text == "héllo 世界")
        _ = e.handle(.backspace)
        #expect(e.text == "héllo 世")
        _ = e.handle(.home)
        _ = e.handle(.delete)
        #expect(e.text == "éllo 世")
        _ = e.handle(.end)
        _ = e.handle(.control("w"))
        #expect(e.text == "éllo ")
        _ = e.handle(.left)
        _ = e.handle(.left)
        _ = e.handle(.control("k"))
        #expect(e.text == "éll")
        _ = e.handle(.control("u"))
        #expect(e.text.isEmpty && e.cursor == 0)
        let enter = e.handle(.enter)
        #expect(!enter)
        var short = LineEditor(prompt: "", maxLength: 3)
        for c in "12345" { _ = short.handle(.character(c)) }
        #expect(short.text == "123")
    }

    @Test func scrollsToKeepTheCursorVisible() {
        var e = LineEditor(prompt: "# ")
        for c in "0123456789abcdef" { _ = e.handle(.character(c)) }
        var canvas = Canvas(width: 10, height: 1)
        let cursor = e.draw(into: &canvas, x: 0, y: 0, width: 10, style: .plain, promptStyle: .plain)
        #expect(canvas.row(0).hasPrefix("# "))
        #expect(canvas.row(0).contains("ef"))
        #expect(cursor.x < 10)
    }
}

@Suite struct CivilDateTests {
    @Test func arithmetic() {
        let d = CivilDate(year: 2024, month: 3, day: 1)
        #expect(d.adding(days: -1).description == "2024-02-29")
        #expect(CivilDate(year: 2026, month: 12, day: 31).adding(days: 1).description == "2027-01-01")
        #expect(CivilDate(year: 2026, month: 2, day: 10).lastOfMonth.description == "2026-02-28")
        #expect(CivilDate(year: 2026, month: 12, day: 10).lastOfMonth.description == "2026-12-31")
        #expect(CivilDate(daysSinceEpoch: 0).description == "1970-01-01")
    }

    @Test func presetsInJanuaryReachBackIntoDecember() {
        let dialog = DateRangeDialog(today: CivilDate(year: 2027, month: 1, day: 3), from: nil, to: nil, label: nil)
        let (from, to) = dialog.range(of: .lastMonth)!
        #expect(from.description == "2026-12-01" && to.description == "2026-12-31")
        let (weekFrom, _) = dialog.range(of: .last7)!
        #expect(weekFrom.description == "2026-12-28")
    }
}
