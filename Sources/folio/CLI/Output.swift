import FolioCLIOutput
import FolioCore
import FolioTerminal
import Foundation

/// Writing for people (aligned tables) and for scripts (JSON, CSV); the
/// texts themselves are made in FolioCLIOutput, which does no I/O.
///
/// Everything the CLI prints goes through here, and everything goes out
/// through `VisibleText`: a store's names, SKUs, addresses and error texts
/// reach the terminal as the store meant them, never as commands to it.
extension Output {
    static func line(_ text: String = "") {
        StandardStreams.out(VisibleText.of(text) + "\n")
    }

    static func error(_ text: String) {
        StandardStreams.err("folio: " + VisibleText.of(text) + "\n")
    }

    /// Columns padded by display width, so CJK names line up; numbers right-aligned.
    /// Cells are escaped before they are measured, so an escape widens its column
    /// instead of shifting the columns after it.
    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) {
        let rows = rows.map { row in row.map { VisibleText.of($0) } }
        let widths = header.indices.map { i in
            ([header[i]] + rows.map { $0[i] }).map { TextWidth.of($0) }.max() ?? 0
        }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                TextWidth.pad(cell, to: widths[i], alignRight: rightAligned.contains(i))
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        line(render(header))
        for row in rows { line(render(row)) }
    }

    /// Indented JSON for scripts and people; `JSONText` has escaped every string.
    static func json(_ value: JSONText) { StandardStreams.out(value.rendered(pretty: true) + "\n") }
}
