import FolioTerminal
import Foundation
import Testing

@testable import FolioTUI

/// The README's key tables are the program's own: generated from the same
/// key tables that `update`, `?` and the status bar read.
@Suite struct KeyTablesTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
    static let begin =
        "<!-- key tables: generated from Sources/FolioTUI/App/KeyTables.swift; "
        + "FOLIO_UPDATE_SNAPSHOTS=1 swift test --filter KeyTablesTests rewrites them -->\n"
    static let end = "<!-- end of key tables -->"

    @Test func theReadmeShowsTheKeyTables() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let start = try #require(text.range(of: Self.begin), "the README has lost its key-table marker")
        let stop = try #require(text.range(of: Self.end, range: start.upperBound..<text.endIndex))
        let shown = String(text[start.upperBound..<stop.lowerBound])
        let generated = KeyTables.markdown + "\n"
        if ProcessInfo.processInfo.environment["FOLIO_UPDATE_SNAPSHOTS"] == "1" {
            try text.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: generated)
                .write(to: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            shown == generated,
            "README.md's key tables differ from the program's: run FOLIO_UPDATE_SNAPSHOTS=1 swift test --filter KeyTablesTests")
    }

    /// A key bound twice in one table would do only its first action: the second line would lie.
    @Test func noTableBindsAKeyTwice() {
        for table in KeyTables.all {
            var seen: Set<String> = []
            for line in table.lines {
                for key in line.keys.split(separator: " ") {
                    #expect(seen.insert(String(key)).inserted, "\(key) is bound twice in “\(table.title)”")
                }
            }
        }
    }

    /// The help of a screen is its table and then the generic one, so `?` and the README say the same.
    @Test func helpShowsTheRoomsTableThenTheGenericOne() {
        var state = Fixtures.loaded()
        _ = state.press(GenericAction.help)
        let help = state[HelpState.self]
        // The list binds q and Esc itself: the generic lines for them would say something else.
        let generic = GenericAction.keymap.bindings.filter { !$0.keys.allSatisfy { ListState.keymap.action(for: $0) != nil } }
        #expect(generic.count == GenericAction.keymap.bindings.count - 2)
        #expect(help?.lines == ListState.keymap.helpLines + generic.map { HelpLine(keys: $0.keyLabel, text: $0.help) })
        #expect(help?.title == "Invoices — keys")
    }
}
